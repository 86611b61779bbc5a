import { MAX_CATALOG_ID_LENGTH, MAX_RECHARGE_THRESHOLD, MAX_SPENDING_LIMIT } from '@contox/core';
import { z } from 'zod';
import { integer, text } from '../limits';
import type { AutoRechargeView } from '../../services/credits/read-credits';
import { autoRechargeSchema } from './credits.types';
import type { BillingMeta } from '../contract-meta';

export const setAutoRechargeMeta: BillingMeta = {
  openapi: {
    method: 'PUT',
    path: '/api/billing/credits/auto-recharge',
    tags: ['credits'],
    summary:
      'Configure auto-recharge: when the balance falls below `threshold` tokens, buy `packId`, at most `spendingLimit` euro cents per billing period.',
    protect: true,
  },
  examples: {
    input: { enabled: true, threshold: 100000, packId: 'credits_1m', spendingLimit: 5000 },
    output: { enabled: true, threshold: 100000, packId: 'credits_1m', spendingLimit: 5000 },
  },
};

export const setAutoRechargeInput = z.object({
  enabled: z.boolean(),
  threshold: integer(0, MAX_RECHARGE_THRESHOLD),
  packId: text(MAX_CATALOG_ID_LENGTH),
  spendingLimit: integer(0, MAX_SPENDING_LIMIT),
}) satisfies z.ZodType<AutoRechargeView>;

export const setAutoRechargeOutput = autoRechargeSchema;
