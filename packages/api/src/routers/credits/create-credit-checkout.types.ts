import { MAX_CATALOG_ID_LENGTH, MAX_URL_LENGTH } from '@contox/core';
import { z } from 'zod';
import type { CreditCheckoutRequest } from '../../services/credits/credit-checkout';
import { text } from '../limits';
import type { BillingMeta } from '../contract-meta';
import { urlResult } from '../subscriptions/subscriptions.types';

export const createCreditCheckoutMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/credits/checkout',
    tags: ['credits'],
    summary:
      'Buy a credit pack on a Stripe Checkout page (payment mode): any card, 3-D Secure included, no saved card needed. The pack is credited once, when it is paid. Stripe returns the payer to successUrl with session_id added.',
    protect: true,
  },
  errors: ['credits_not_allowed', 'stripe_unavailable'],
  examples: {
    input: { packId: 'credits_2_5m', successUrl: 'https://app.contox.dev/billing/credits?purchase=success' },
    output: { url: 'https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8' },
  },
};

export const createCreditCheckoutInput = z.object({
  packId: text(MAX_CATALOG_ID_LENGTH),
  successUrl: text(MAX_URL_LENGTH).optional(),
  cancelUrl: text(MAX_URL_LENGTH).optional(),
}) satisfies z.ZodType<CreditCheckoutRequest>;

export const createCreditCheckoutOutput = urlResult;
