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
};

export const listMembersInput = z.object({});

export const listMembersOutput = z.object({ members: z.array(memberSchema) });
