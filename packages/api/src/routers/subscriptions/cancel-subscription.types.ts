import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { CancelResult } from '../../services/subscriptions/cancel-at-period-end';

export const cancelSubscriptionMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/cancel',
    tags: ['subscription'],
    summary:
      'Cancel at the end of the current billing period; the plan stays active until then. Repeating it changes nothing',
    protect: true,
    errorResponses: { 403: 'Not the account owner', 409: 'No active subscription', 503: 'Stripe unavailable' },
  },
};

export const cancelSubscriptionInput = z.object({}).default({});

export const cancelSubscriptionOutput = z.object({
  status: z.literal('cancelled'),
  cancelAt: z.string(),
}) satisfies z.ZodType<CancelResult>;
