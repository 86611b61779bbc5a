import { MAX_DESCRIPTION_LENGTH, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_SPEND_AMOUNT } from '@contox/core';
import { z } from 'zod';
import { integer, text } from '../limits';
import type { SpendInput } from '../../services/credits/spend';
import type { SpendResult } from '../../services/credits/spend-batch';
import type { BillingMeta } from '../contract-meta';

export const spendCreditsMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/spend',
    tags: ['credits'],
    summary:
      'Spend tokens: the plan allowance first, then credits. Not enough → 402 and nothing spent. The same idempotencyKey never spends twice.',
    protect: true,
  },
  errors: ['insufficient_credits', 'idempotency_conflict'],
  examples: {
    input: { amount: 5000, description: 'Enrichment - session sess_xyz', idempotencyKey: 'sess_xyz-enrichment-1' },
    output: { transactionId: 'txn_7Hc2Lp9Qs4Vx1Mz8Kd3R', balance: 1250000, fromAllowance: 3000, fromCredits: 2000 },
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
