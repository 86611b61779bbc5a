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
