import { MAX_CATALOG_ID_LENGTH, MAX_SEATS, MAX_URL_LENGTH } from '@contox/core';
import { z } from 'zod';
import { integer, text } from '../limits';
import type { CheckoutRequest, CheckoutResult } from '../../services/subscriptions/start-checkout';
import { urlResult } from './subscriptions.types';
import type { BillingMeta } from '../contract-meta';

export const createCheckoutMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/checkout',
    tags: ['subscription'],
    summary:
      'Subscribe to a paid plan through Stripe Checkout; with a subscription already running, the Stripe billing portal opens on the change instead',
    protect: true,
  },
  errors: ['conflict', 'stripe_unavailable'],
  examples: {
    input: { planId: 'team', seats: 3, interval: 'month' },
    output: { url: 'https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6' },
  },
};

export const createCheckoutInput = z.object({
  planId: text(MAX_CATALOG_ID_LENGTH),
  seats: integer(1, MAX_SEATS).optional(),
  interval: z.enum(['month', 'year']).default('month'),
  successUrl: text(MAX_URL_LENGTH).optional(),
  cancelUrl: text(MAX_URL_LENGTH).optional(),
}) satisfies z.ZodType<CheckoutRequest, unknown>;

export const createCheckoutOutput = urlResult satisfies z.ZodType<CheckoutResult>;
