import { MAX_CURSOR_DIGITS, MAX_PAGE_SIZE } from '@contox/core';
import { z } from 'zod';
import type { CreditsView } from '../../services/credits/read-credits';
import { autoRechargeStateSchema } from './credits.types';
import type { BillingMeta } from '../contract-meta';
import { creditAlertSchema } from './set-credit-alerts.types';

export const getCreditsMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/credits',
    tags: ['credits'],
    summary:
      'Balance, auto-recharge settings with their state (active, or paused and why), and the history of balance changes (newest first)',
    protect: true,
  },
  examples: {
    input: { limit: 2 },
    output: {
      balance: 1250000,
      autoRecharge: {
        enabled: true,
        threshold: 100000,
        packId: 'credits_1m',
        spendingLimit: 5000,
        status: 'active',
        pausedReason: null,
      },
      transactions: [
        {
          id: 'txn_7Hc2Lp9Qs4Vx1Mz8Kd3R',
          type: 'usage',
          amount: -5000,
          description: 'Enrichment - session sess_xyz',
          createdAt: '2026-01-15T10:00:00.000Z',
        },
        {
          id: 'txn_2Rb8Kq4Nw7Jt0Ls5Fy6D',
          type: 'purchase',
          amount: 1000000,
          price: 500,
          description: '1,000,000 credits',
          createdAt: '2026-01-14T09:30:00.000Z',
        },
      ],
      nextCursor: '1041',
      alerts: { threshold: 500000 },
    },
  },
};

export const getCreditsInput = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  // A ledger position as this API returned it in nextCursor: digits only.
  cursor: z
    .string()
    .regex(new RegExp(`^\\d{1,${MAX_CURSOR_DIGITS}}$`), 'not a cursor returned by this API')
    .optional(),
});

const transactionSchema = z.object({
  id: z.string(),
  type: z.enum(['purchase', 'auto_recharge', 'usage', 'grant', 'refund', 'adjustment']),
  amount: z.number().int(),
  price: z.number().int().optional(),
  description: z.string().optional(),
  createdAt: z.string(),
});

export const getCreditsOutput = z.object({
  balance: z.number().int(),
  autoRecharge: autoRechargeStateSchema,
  transactions: z.array(transactionSchema),
  nextCursor: z.string().optional(),
  alerts: creditAlertSchema,
}) satisfies z.ZodType<CreditsView>;
