import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { SpendInput } from '../../services/credits/spend';
import type { SpendResult } from '../../services/credits/spend-batch';

export const spendCreditsMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/spend',
    tags: ['credits'],
    summary:
      'Spend tokens: the plan allowance first, then credits. Not enough → 402 and nothing spent. The same idempotencyKey never spends twice.',
    protect: true,
    errorResponses: {
      400: 'Invalid input',
      402: 'Insufficient credits',
      409: 'idempotencyKey reused for another spend',
    },
  },
};

export const spendCreditsInput = z.object({
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  description: z.string().min(1).max(500),
  idempotencyKey: z.string().min(1).max(200),
}) satisfies z.ZodType<SpendInput>;

export const spendCreditsOutput = z.object({
  transactionId: z.string(),
  balance: z.number().int(),
  fromAllowance: z.number().int(),
  fromCredits: z.number().int(),
}) satisfies z.ZodType<SpendResult>;
