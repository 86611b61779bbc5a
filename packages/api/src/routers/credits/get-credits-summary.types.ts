import { z } from 'zod';
import type { CreditsSummary } from '../../services/credits/credits-summary';
import { autoRechargeSchema } from './credits.types';
import type { BillingMeta } from '../contract-meta';

export const getCreditsSummaryMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/credits/summary',
    tags: ['credits'],
    summary:
      'Balance beside the plan allowance left this period, auto-recharge spend and its last failure, and the saved card',
    protect: true,
  },
  errors: ['stripe_unavailable'],
  examples: {
    output: {
      balance: 1250000,
      period: { start: '2026-01-01T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' },
      allowance: { limit: 5000000, used: 3200000, remaining: 1800000 },
      autoRecharge: { enabled: true, threshold: 100000, packId: 'credits_1m', spendingLimit: 5000 },
      autoRechargeSpent: 500,
      lastRechargeFailure: null,
      hasPaymentMethod: true,
      card: { brand: 'visa', last4: '4242' },
    },
  },
};

export const getCreditsSummaryInput = z.object({});

export const getCreditsSummaryOutput = z.object({
  balance: z.number().int(),
  period: z.object({ start: z.string(), end: z.string() }),
  allowance: z.object({
    limit: z.number().int().nullable(),
    used: z.number().int(),
    remaining: z.number().int().nullable(),
  }),
  autoRecharge: autoRechargeSchema,
  /** Euro cents charged for auto-recharges this period (succeeded and in flight). */
  autoRechargeSpent: z.number().int(),
  lastRechargeFailure: z.object({ at: z.string(), message: z.string() }).nullable(),
  hasPaymentMethod: z.boolean(),
  /** The card purchases and recharges charge (brand as Stripe names it: visa, mastercard, …); null without one. */
  card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
}) satisfies z.ZodType<CreditsSummary>;
