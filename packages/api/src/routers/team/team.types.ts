import { API_KEY_SCOPES } from '@contox/core';
import { z } from 'zod';
import type { MemberView } from '../../services/team/members';

/** The tag of the account's team and key paths in the OpenAPI document. */
export const TEAM_TAG = 'account';

export const scopesSchema = z.array(z.enum(API_KEY_SCOPES));

export const memberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['owner', 'admin', 'member']),
  createdAt: z.string(),
}) satisfies z.ZodType<MemberView>;
