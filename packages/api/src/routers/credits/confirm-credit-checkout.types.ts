import { MAX_EVENT_ID_LENGTH } from '@contox/core';
import { z } from 'zod';
import type { CreditCheckoutView } from '../../services/credits/credit-checkout';
import type { BillingMeta } from '../contract-meta';
import { text } from '../limits';

export const confirmCreditCheckoutMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/checkout/confirm',
    tags: ['credits'],
    summary:
      'On the return from a credit checkout (its session_id): credits the pack now if Stripe says it is paid (once, whether the webhook got there first or not) and tells how the purchase stands: paid, open (not paid yet) or expired.',
    protect: true,
  },
  errors: ['not_found', 'stripe_unavailable'],
  examples: {
    input: { sessionId: 'cs_test_a1B2c3D4e5F6g7H8' },
    output: {
      sessionId: 'cs_test_a1B2c3D4e5F6g7H8',
      status: 'paid',
      packId: 'credits_2_5m',
      purchased: 2500000,
      balance: 3750000,
    },
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
