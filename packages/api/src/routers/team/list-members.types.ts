import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { memberSchema, TEAM_TAG } from './team.types';

export const listMembersMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/account/members',
    tags: [TEAM_TAG],
    summary: 'The account’s members, the owner first. Owner or admin; a key needs the billing scope.',
    protect: true,
  },
  examples: {
    output: {
      members: [
        {
          id: 'mem_3kTMd7xQa9Lp2Vr5Nc8W',
          email: 'alice@acme.test',
          name: 'Alice',
          role: 'owner',
          createdAt: '2026-01-15T10:00:00.000Z',
        },
        {
          id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw',
          email: 'bob@acme.test',
          name: 'Bob',
          role: 'member',
          createdAt: '2026-01-15T10:00:00.000Z',
        },
      ],
    },
  },
};

export const listMembersInput = z.object({});

export const listMembersOutput = z.object({ members: z.array(memberSchema) });
