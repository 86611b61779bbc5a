import { MAX_NAME_LENGTH } from '@contox/core';
import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { emailAddress, text } from '../limits';
import { memberSchema, TEAM_TAG } from './team.types';

export const addMemberMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/account/members',
    tags: [TEAM_TAG],
    summary:
      'Add a member (admin or member) and get a single-use sign-in link for them (valid 24 hours): 201. The same email twice: 409.',
    protect: true,
  },
  errors: ['conflict'],
  successStatus: 201,
};

export const addMemberInput = z.object({
  email: emailAddress(),
  name: text(MAX_NAME_LENGTH, 1).optional(),
  role: z.enum(['admin', 'member']),
});

export const addMemberOutput = z.object({ member: memberSchema, signInUrl: z.string() });
