import { MAX_CATALOG_ID_LENGTH, MAX_SEATS, MAX_URL_LENGTH } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { integer, text } from '../limits';
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
  planId: text(MAX_CATALOG_ID_LENGTH),
  seats: integer(1, MAX_SEATS).optional(),
  interval: z.enum(['month', 'year']).default('month'),
  successUrl: text(MAX_URL_LENGTH).optional(),
  cancelUrl: text(MAX_URL_LENGTH).optional(),
}) satisfies z.ZodType<CheckoutRequest, unknown>;

export const createCheckoutOutput = urlResult satisfies z.ZodType<CheckoutResult>;
