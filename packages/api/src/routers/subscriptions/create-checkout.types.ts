import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { CheckoutRequest, CheckoutResult } from '../../services/subscriptions/start-checkout';
import { urlResult } from './subscriptions.types';

export const createCheckoutMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/checkout',
    tags: ['subscription'],
    summary:
      'Subscribe to a paid plan through Stripe Checkout; with a subscription already running, the Stripe billing portal opens on the change instead',
    protect: true,
    errorResponses: {
      400: 'Unknown or free plan, seats outside the plan, or a redirect URL off this app',
      403: 'Not the account owner',
      409: 'Another checkout for this account was opened at the same moment',
      503: 'Stripe unavailable',
    },
  },
};

export const createCheckoutInput = z.object({
  planId: z.string().max(64),
  seats: z.number().int().positive().max(100_000).optional(),
  interval: z.enum(['month', 'year']).default('month'),
  successUrl: z.string().max(2048).optional(),
  cancelUrl: z.string().max(2048).optional(),
}) satisfies z.ZodType<CheckoutRequest, unknown>;

export const createCheckoutOutput = urlResult satisfies z.ZodType<CheckoutResult>;
