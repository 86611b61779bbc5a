import { MAX_CURSOR_DIGITS, MAX_PAGE_SIZE } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { CreditsView } from '../../services/credits/read-credits';
import { autoRechargeStateSchema } from './credits.types';

export const getCreditsMeta: OpenApiMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/credits',
    tags: ['credits'],
    summary:
      'Balance, auto-recharge settings with their state (active, or paused and why), and the history of balance changes (newest first)',
    protect: true,
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
}) satisfies z.ZodType<CreditsView>;
