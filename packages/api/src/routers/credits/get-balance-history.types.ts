import { MAX_HISTORY_DAYS } from '@contox/core';
import { z } from 'zod';
import type { BalanceHistory } from '../../services/credits/balance-history';
import type { BillingMeta } from '../contract-meta';

export const getBalanceHistoryMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/credits/history',
    tags: ['credits'],
    summary: 'The balance after each change over the last `days` days (for charts)',
    protect: true,
  },
  examples: {
    input: { days: 7 },
    output: {
      points: [
        { at: '2026-01-14T09:30:00.000Z', balance: 1255000 },
        { at: '2026-01-15T10:00:00.000Z', balance: 1250000 },
      ],
    },
  },
};

export const getBalanceHistoryInput = z.object({
  days: z.coerce.number().int().min(1).max(MAX_HISTORY_DAYS).default(30),
});

export const getBalanceHistoryOutput = z.object({
  points: z.array(z.object({ at: z.string(), balance: z.number().int() })),
}) satisfies z.ZodType<BalanceHistory>;
