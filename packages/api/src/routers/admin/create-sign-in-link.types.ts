import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { emailAddress, recordId } from '../limits';
import { OPERATOR_TAG } from './admin.types';

export const createSignInLinkMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/admin/accounts/{accountId}/sign-in-links',
    tags: [OPERATOR_TAG],
    summary:
      'A single-use link (valid 24 hours) that signs the account’s member with this email into the dashboard; 404 when there is no such member',
    protect: true,
  },
  examples: {
    input: { accountId: 'acc_4fT9kLm2Qx8Rz1Vb7NwE', email: 'alice@acme.test' },
    output: {
      url: 'http://127.0.0.1:3000/auth/sign-in?token=sl_Vq3Xk8Lm2Pz7Rt4Nw9Yb',
      expiresAt: '2026-01-16T10:00:00.000Z',
    },
  },
};

export const createSignInLinkInput = z.object({ accountId: recordId(), email: emailAddress() });

export const createSignInLinkOutput = z.object({ url: z.string(), expiresAt: z.string() });
