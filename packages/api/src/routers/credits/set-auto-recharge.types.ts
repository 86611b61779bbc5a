import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { AutoRechargeView } from '../../services/credits/read-credits';
import { autoRechargeSchema } from './credits.types';

export const setAutoRechargeMeta: OpenApiMeta = {
  openapi: {
    method: 'PUT',
    path: '/api/billing/credits/auto-recharge',
    tags: ['credits'],
    summary:
      'Configure auto-recharge: when the balance falls below `threshold` tokens, buy `packId`, at most `spendingLimit` euro cents per billing period.',
    protect: true,
  },
};

export const setAutoRechargeInput = z.object({
  enabled: z.boolean(),
  threshold: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  packId: z.string().max(64),
  spendingLimit: z.number().int().min(0).max(100_000_000),
}) satisfies z.ZodType<AutoRechargeView>;

export const setAutoRechargeOutput = autoRechargeSchema;
