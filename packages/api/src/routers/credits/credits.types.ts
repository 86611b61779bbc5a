import { z } from 'zod';
import type { AutoRechargeView } from '../../services/credits/read-credits';

/** Auto-recharge settings as every credits answer shows them. */
export const autoRechargeSchema = z.object({
  enabled: z.boolean(),
  threshold: z.number().int(),
  packId: z.string(),
  spendingLimit: z.number().int(),
}) satisfies z.ZodType<AutoRechargeView>;

/** The settings with whether they can run now: paused by a failed charge or a plan without credits. */
export const autoRechargeStateSchema = autoRechargeSchema.extend({
  status: z.enum(['active', 'paused']),
  /** Why it is paused, in words for the owner, with how it resumes; null while active. */
  pausedReason: z.string().nullable(),
});
