import { MAX_CATALOG_ID_LENGTH, MAX_IDEMPOTENCY_HEADER_LENGTH } from '@contox/core';
import { z } from 'zod';
import { text } from '../limits';
import type { PurchaseResult } from '../../services/credits/purchase';
import type { BillingMeta } from '../contract-meta';

export const purchaseCreditsMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/purchase',
    tags: ['credits'],
    summary: `Buy a credit pack with the saved card (off-session). Honours an Idempotency-Key header (1 to ${MAX_IDEMPOTENCY_HEADER_LENGTH} printable ASCII characters): a retry returns the first answer and never charges twice.`,
    protect: true,
  },
  errors: [
    'credits_not_allowed',
    'card_declined',
    'authentication_required',
    'payment_failed',
    'no_payment_method',
    'conflict',
    'stripe_unavailable',
  ],
  idempotencyKeyHeader: true,
  examples: {
    input: { packId: 'credits_1m' },
    output: { transactionId: 'txn_9Vd3Ms7Qa1Lx5Kp2Hn8T', balance: 2250000, purchased: 1000000 },
  },
};

export const purchaseCreditsInput = z.object({ packId: text(MAX_CATALOG_ID_LENGTH) });

export const purchaseCreditsOutput = z.object({
  transactionId: z.string(),
  balance: z.number().int(),
  purchased: z.number().int(),
}) satisfies z.ZodType<PurchaseResult>;
