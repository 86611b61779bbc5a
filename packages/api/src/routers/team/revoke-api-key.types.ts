import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { TEAM_TAG } from './team.types';

export const revokeApiKeyMeta: BillingMeta = {
  openapi: {
    method: 'DELETE',
    path: '/api/account/api-keys/{id}',
    tags: [TEAM_TAG],
    summary:
      'Revoke an API key: it stops working at once, and so do dashboard sessions started with it. Another account’s key id: 404.',
    protect: true,
  },
  examples: { input: { id: 'key_6Hs2Qm8Vx4Lp1Zr7Kd3N' }, output: { id: 'key_6Hs2Qm8Vx4Lp1Zr7Kd3N', revoked: true } },
};

export const revokeApiKeyInput = z.object({ id: recordId() });

export const revokeApiKeyOutput = z.object({ id: z.string(), revoked: z.literal(true) });
