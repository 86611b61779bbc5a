import { z } from 'zod';
import type { SubscriptionView } from '../../services/subscriptions/read-subscription';
import type { BillingMeta } from '../contract-meta';

export const getSubscriptionMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/subscription',
    tags: ['subscription'],
    summary: "The account's plan and subscription: status `none` on the free plan without one",
    protect: true,
  },
  examples: {
    output: {
      plan: 'team',
      status: 'active',
      seats: 3,
      interval: 'month',
      currentPeriodStart: '2026-01-01T00:00:00.000Z',
      currentPeriodEnd: '2026-02-01T00:00:00.000Z',
      cancelAtPeriodEnd: false,
      cancelAt: null,
      pastDue: false,
      payUrl: null,
    },
  },
};

export const getSubscriptionInput = z.object({});

export const getSubscriptionOutput = z.object({
  plan: z.string(),
  /** `none` for an account on the free plan without a Stripe subscription. */
  status: z.string(),
  seats: z.number().int(),
  interval: z.enum(['month', 'year']).nullable(),
  currentPeriodStart: z.string().nullable(),
  currentPeriodEnd: z.string().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  cancelAt: z.string().nullable(),
  /** The renewal's invoice is unpaid: the new period's allowance waits for it (pay at `payUrl`). */
  pastDue: z.boolean(),
  /** Stripe's page for paying the open invoice while one is owed, else null. */
  payUrl: z.string().nullable(),
}) satisfies z.ZodType<SubscriptionView>;
