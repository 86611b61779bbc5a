import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { memberSchema, TEAM_TAG } from './team.types';

export const transferOwnershipMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/account/transfer-ownership',
    tags: [TEAM_TAG],
    summary:
      'The owner hands the account to another member and becomes an admin, in one step (there is always exactly one owner). Owner only.',
    protect: true,
  },
  errors: ['not_found', 'conflict'],
  examples: {
    input: { memberId: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw' },
    output: {
      owner: {
        id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw',
        email: 'bob@acme.test',
        name: 'Bob',
        role: 'owner',
        createdAt: '2026-01-15T10:00:00.000Z',
      },
      previousOwner: {
        id: 'mem_3kTMd7xQa9Lp2Vr5Nc8W',
        email: 'alice@acme.test',
        name: 'Alice',
        role: 'admin',
        createdAt: '2026-01-15T10:00:00.000Z',
      },
    },
  },
};

export const transferOwnershipInput = z.object({ memberId: recordId() });

export const transferOwnershipOutput = z.object({ owner: memberSchema, previousOwner: memberSchema });
