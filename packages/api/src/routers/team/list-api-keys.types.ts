import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { scopesSchema, TEAM_TAG } from './team.types';

export const listApiKeysMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/account/api-keys',
    tags: [TEAM_TAG],
    summary: 'The account’s live API keys (never their secrets). Owner or admin; a key needs the billing scope.',
    protect: true,
  },
  examples: {
    output: {
      apiKeys: [
        {
          id: 'key_6Hs2Qm8Vx4Lp1Zr7Kd3N',
          name: 'Dashboard widget',
          scopes: ['read'],
          prefix: 'contox_sk_9fLq',
          createdAt: '2026-01-15T10:00:00.000Z',
          lastUsedAt: null,
        },
      ],
    },
  },
};

export const listApiKeysInput = z.object({});

export const listApiKeysOutput = z.object({
  apiKeys: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      scopes: scopesSchema,
      prefix: z.string(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
});
