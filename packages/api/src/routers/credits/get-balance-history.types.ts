import { MAX_HISTORY_DAYS } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { BalanceHistory } from '../../services/credits/balance-history';

export const getBalanceHistoryMeta: OpenApiMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/credits/history',
    tags: ['credits'],
    summary: 'The balance after each change over the last `days` days (for charts)',
    protect: true,
  },
};

export const getBalanceHistoryInput = z.object({
  days: z.coerce.number().int().min(1).max(MAX_HISTORY_DAYS).default(30),
});

export const getBalanceHistoryOutput = z.object({
  points: z.array(z.object({ at: z.string(), balance: z.number().int() })),
}) satisfies z.ZodType<BalanceHistory>;
