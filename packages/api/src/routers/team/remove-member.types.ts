import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { TEAM_TAG } from './team.types';

export const removeMemberMeta: BillingMeta = {
  openapi: {
    method: 'DELETE',
    path: '/api/account/members/{id}',
    tags: [TEAM_TAG],
    summary:
      'Remove a member with their sessions, sign-in links and API keys (they stop working at once). The owner: 403.',
    protect: true,
  },
  errors: ['conflict'],
  examples: { input: { id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw' }, output: { id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw', removed: true } },
};

export const removeMemberInput = z.object({ id: recordId() });

export const removeMemberOutput = z.object({ id: z.string(), removed: z.literal(true) });
