import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { memberSchema, TEAM_TAG } from './team.types';

export const changeMemberRoleMeta: BillingMeta = {
  openapi: {
    method: 'PATCH',
    path: '/api/account/members/{id}',
    tags: [TEAM_TAG],
    summary: 'Make a member an admin or a member. The owner’s role never changes here (403): see transfer-ownership.',
    protect: true,
  },
  errors: ['conflict'],
};

export const changeMemberRoleInput = z.object({ id: recordId(), role: z.enum(['admin', 'member']) });

export const changeMemberRoleOutput = z.object({ member: memberSchema });
