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
};

export const createSignInLinkInput = z.object({ accountId: recordId(), email: emailAddress() });

export const createSignInLinkOutput = z.object({ url: z.string(), expiresAt: z.string() });
