import { MAX_EVENT_ID_LENGTH } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { CreditCheckoutView } from '../../services/credits/credit-checkout';
import { text } from '../limits';

export const confirmCreditCheckoutMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/checkout/confirm',
    tags: ['credits'],
    summary:
      'On the return from a credit checkout (its session_id): credits the pack now if Stripe says it is paid (once, whether the webhook got there first or not) and tells how the purchase stands: paid, open (not paid yet) or expired.',
    protect: true,
    errorResponses: { 404: 'No such credit checkout on this account', 503: 'Stripe unavailable' },
  },
};

export const confirmCreditCheckoutInput = z.object({ sessionId: text(MAX_EVENT_ID_LENGTH, 1) });

export const confirmCreditCheckoutOutput = z.object({
  sessionId: z.string(),
  status: z.enum(['paid', 'open', 'expired']),
  packId: z.string(),
  purchased: z.number().int(),
  balance: z.number().int(),
}) satisfies z.ZodType<CreditCheckoutView>;
