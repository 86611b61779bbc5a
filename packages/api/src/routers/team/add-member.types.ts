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
  examples: {
    input: { email: 'bob@acme.test', name: 'Bob', role: 'member' },
    output: {
      member: {
        id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw',
        email: 'bob@acme.test',
        name: 'Bob',
        role: 'member',
        createdAt: '2026-01-15T10:00:00.000Z',
      },
      signInUrl: 'http://127.0.0.1:3000/auth/sign-in?token=sl_Vq3Xk8Lm2Pz7Rt4Nw9Yb',
    },
  },
};

export const addMemberInput = z.object({
  email: emailAddress(),
  name: text(MAX_NAME_LENGTH, 1).optional(),
  role: z.enum(['admin', 'member']),
});

export const addMemberOutput = z.object({ member: memberSchema, signInUrl: z.string() });
