import { API_KEY_SCOPES, MAX_NAME_LENGTH } from '@contox/core';
import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { text } from '../limits';
import { scopesSchema, TEAM_TAG } from './team.types';

export const createApiKeyMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/account/api-keys',
    tags: [TEAM_TAG],
    summary:
      'A new API key with some of the scopes read, billing, usage (never one its creator lacks): 201, with the key shown this once.',
    protect: true,
  },
  successStatus: 201,
  examples: {
    input: { name: 'Dashboard widget', scopes: ['read'] },
    output: {
      id: 'key_6Hs2Qm8Vx4Lp1Zr7Kd3N',
      name: 'Dashboard widget',
      scopes: ['read'],
      key: 'contox_sk_9fLq2Xv7Rm4Tk8Ns1Pw6Zb3Hc5Jd0Ga',
    },
  },
};

export const createApiKeyInput = z.object({
  name: text(MAX_NAME_LENGTH, 1),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length),
});

export const createApiKeyOutput = z.object({ id: z.string(), name: z.string(), scopes: scopesSchema, key: z.string() });
