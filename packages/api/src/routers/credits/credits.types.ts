import { z } from 'zod';
import type { AutoRechargeView } from '../../services/credits/read-credits';

/** Auto-recharge settings as every credits answer shows them. */
export const autoRechargeSchema = z.object({
  enabled: z.boolean(),
  threshold: z.number().int(),
  packId: z.string(),
  spendingLimit: z.number().int(),
}) satisfies z.ZodType<AutoRechargeView>;
