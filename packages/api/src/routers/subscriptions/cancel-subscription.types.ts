import { z } from 'zod';
import type { CancelResult } from '../../services/subscriptions/cancel-at-period-end';
import type { BillingMeta } from '../contract-meta';

export const cancelSubscriptionMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/cancel',
    tags: ['subscription'],
    summary:
      'Cancel at the end of the current billing period; the plan stays active until then. Repeating it changes nothing',
    protect: true,
  },
  errors: ['conflict', 'stripe_unavailable'],
  examples: { input: {}, output: { status: 'cancelled', cancelAt: '2026-02-01T00:00:00.000Z' } },
};

export const cancelSubscriptionInput = z.object({}).default({});

export const cancelSubscriptionOutput = z.object({
  status: z.literal('cancelled'),
  cancelAt: z.string(),
}) satisfies z.ZodType<CancelResult>;
