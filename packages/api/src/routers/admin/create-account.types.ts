import { API_KEY_SCOPES, MAX_EXTERNAL_ID_LENGTH, MAX_NAME_LENGTH } from '@contox/core';
import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { emailAddress, text } from '../limits';
import { OPERATOR_TAG, ownerSchema } from './admin.types';

export const createAccountMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/admin/accounts',
    tags: [OPERATOR_TAG],
    summary:
      'Create an account with its owner and the owner’s API key (shown once): 201. The same externalId again answers 200 with that account and owner, no apiKey, and creates nothing.',
    protect: true,
    successDescription:
      '201: created, with the owner’s API key (shown once). 200: an account with this externalId exists; that account and its owner, no apiKey.',
  },
  successStatus: [201, 200],
  examples: {
    input: { name: 'Acme', externalId: 'ws_acme', owner: { email: 'alice@acme.test', name: 'Alice' } },
    output: {
      account: { id: 'acc_4fT9kLm2Qx8Rz1Vb7NwE', name: 'Acme', plan: 'free', externalId: 'ws_acme' },
      owner: { id: 'mem_3kTMd7xQa9Lp2Vr5Nc8W', email: 'alice@acme.test', name: 'Alice', role: 'owner' },
      apiKey: {
        id: 'key_2Nc7Vx4Lq9Rm1Tk8Hs3P',
        key: 'contox_sk_3Rb8Kq4Nw7Jt0Ls5Fy6Dm2Xc9Vh1Pa',
        scopes: ['read', 'billing', 'usage'],
      },
    },
  },
};

export const createAccountInput = z.object({
  name: text(MAX_NAME_LENGTH, 1),
  externalId: text(MAX_EXTERNAL_ID_LENGTH, 1).optional(),
  owner: z.object({ email: emailAddress(), name: text(MAX_NAME_LENGTH, 1).optional() }),
});

export const createAccountOutput = z.object({
  account: z.object({ id: z.string(), name: z.string(), plan: z.string(), externalId: z.string().nullable() }),
  owner: ownerSchema,
  apiKey: z.object({ id: z.string(), key: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)) }).optional(),
});
