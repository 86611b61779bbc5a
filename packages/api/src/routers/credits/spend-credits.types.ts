import { MAX_DESCRIPTION_LENGTH, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_SPEND_AMOUNT } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { integer, text } from '../limits';
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
  amount: integer(1, MAX_SPEND_AMOUNT),
  description: text(MAX_DESCRIPTION_LENGTH, 1),
  idempotencyKey: text(MAX_IDEMPOTENCY_KEY_LENGTH, 1),
}) satisfies z.ZodType<SpendInput>;

export const spendCreditsOutput = z.object({
  transactionId: z.string(),
  balance: z.number().int(),
  fromAllowance: z.number().int(),
  fromCredits: z.number().int(),
}) satisfies z.ZodType<SpendResult>;
