import { MAX_EXTERNAL_ID_LENGTH } from '@contox/core';
import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { ACCOUNT_PAGE_SIZE } from '../../services/accounts/operator-accounts';
import { recordId, text } from '../limits';
import { OPERATOR_TAG, operatorAccountSchema } from './admin.types';

export const listAccountsMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/admin/accounts',
    tags: [OPERATOR_TAG],
    summary: 'Accounts with their owners, in id order: the one with an externalId, or a page of all (nextCursor)',
    protect: true,
  },
  examples: {
    input: { externalId: 'ws_acme' },
    output: {
      accounts: [
        {
          id: 'acc_4fT9kLm2Qx8Rz1Vb7NwE',
          name: 'Acme',
          plan: 'free',
          externalId: 'ws_acme',
          createdAt: '2026-01-15T10:00:00.000Z',
          owner: { id: 'mem_3kTMd7xQa9Lp2Vr5Nc8W', email: 'alice@acme.test', name: 'Alice', role: 'owner' },
        },
      ],
    },
  },
};

export const listAccountsInput = z.object({
  externalId: text(MAX_EXTERNAL_ID_LENGTH, 1).optional(),
  limit: z.coerce.number().int().min(1).max(ACCOUNT_PAGE_SIZE).default(ACCOUNT_PAGE_SIZE),
  cursor: recordId().optional(),
});

export const listAccountsOutput = z.object({
  accounts: z.array(operatorAccountSchema),
  nextCursor: z.string().optional(),
});
