import { MAX_CATALOG_ID_LENGTH, MAX_IDEMPOTENCY_HEADER_LENGTH } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { text } from '../limits';
import type { PurchaseResult } from '../../services/credits/purchase';

export const purchaseCreditsMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/purchase',
    tags: ['credits'],
    summary: `Buy a credit pack with the saved card (off-session). Honours an Idempotency-Key header (1 to ${MAX_IDEMPOTENCY_HEADER_LENGTH} printable ASCII characters): a retry returns the first answer and never charges twice.`,
    protect: true,
    errorResponses: { 400: 'Unknown pack', 402: 'Card declined', 403: 'Free plan', 409: 'No saved card' },
  },
};

export const purchaseCreditsInput = z.object({ packId: text(MAX_CATALOG_ID_LENGTH) });

export const purchaseCreditsOutput = z.object({
  transactionId: z.string(),
  balance: z.number().int(),
  purchased: z.number().int(),
}) satisfies z.ZodType<PurchaseResult>;
