import { MAX_RECHARGE_THRESHOLD } from '@contox/core';
import { z } from 'zod';
import type { CreditAlertView } from '../../services/credits/credit-alerts';
import type { BillingMeta } from '../contract-meta';
import { integer } from '../limits';

export const setCreditAlertsMeta: BillingMeta = {
  openapi: {
    method: 'PUT',
    path: '/api/billing/credits/alerts',
    tags: ['credits'],
    summary:
      'Low-credit alert (owner or admin): when credits plus the plan allowance left fall below `threshold` tokens, a `credits.low` webhook is sent, once per crossing; `null` switches it off.',
    protect: true,
  },
  examples: { input: { threshold: 500000 }, output: { threshold: 500000 } },
};

export const creditAlertSchema = z.object({
  threshold: integer(0, MAX_RECHARGE_THRESHOLD).nullable(),
}) satisfies z.ZodType<CreditAlertView>;

export const setCreditAlertsInput = creditAlertSchema;
export const setCreditAlertsOutput = creditAlertSchema;
