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
  examples: {
    input: { id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw', role: 'admin' },
    output: {
      member: {
        id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw',
        email: 'bob@acme.test',
        name: 'Bob',
        role: 'admin',
        createdAt: '2026-01-15T10:00:00.000Z',
      },
    },
  },
};

export const changeMemberRoleInput = z.object({ id: recordId(), role: z.enum(['admin', 'member']) });

export const changeMemberRoleOutput = z.object({ member: memberSchema });
