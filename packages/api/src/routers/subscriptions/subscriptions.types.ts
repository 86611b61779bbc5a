import { z } from 'zod';

export const checkoutInput = z.object({
  planId: z.string().max(64),
  seats: z.number().int().positive().max(100_000).optional(),
  interval: z.enum(['month', 'year']).default('month'),
  successUrl: z.string().max(2048).optional(),
  cancelUrl: z.string().max(2048).optional(),
});

export const portalInput = z.object({ returnUrl: z.string().max(2048).optional() }).default({});

export const urlResult = z.object({ url: z.string() });

export const cancelResult = z.object({ status: z.literal('cancelled'), cancelAt: z.string() });
export const resumeResult = z.object({ status: z.literal('active') });

export const subscriptionView = z.object({
  plan: z.string(),
  /** `none` for an account on the free plan without a Stripe subscription. */
  status: z.string(),
  seats: z.number().int(),
  interval: z.enum(['month', 'year']).nullable(),
  currentPeriodStart: z.string().nullable(),
  currentPeriodEnd: z.string().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  cancelAt: z.string().nullable(),
});
