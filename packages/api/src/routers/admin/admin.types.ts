import { z } from 'zod';
import type { OperatorAccount } from '../../services/accounts/operator-accounts';

/** Every operator path's tag in the OpenAPI document (the document gives it the admin token's security). */
export const OPERATOR_TAG = 'Operator';

export const ownerSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.literal('owner'),
});

/** An account as the operator sees it: with its externalId and its owner. */
export const operatorAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  plan: z.string(),
  externalId: z.string().nullable(),
  createdAt: z.string(),
  owner: ownerSchema,
}) satisfies z.ZodType<OperatorAccount>;
