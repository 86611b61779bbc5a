import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { OPERATOR_TAG, operatorAccountSchema } from './admin.types';

export const getAccountMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/admin/accounts/{accountId}',
    tags: [OPERATOR_TAG],
    summary: 'One account with its owner; 404 when there is none',
    protect: true,
  },
  examples: {
    input: { accountId: 'acc_4fT9kLm2Qx8Rz1Vb7NwE' },
    output: {
      id: 'acc_4fT9kLm2Qx8Rz1Vb7NwE',
      name: 'Acme',
      plan: 'free',
      externalId: 'ws_acme',
      createdAt: '2026-01-15T10:00:00.000Z',
      owner: { id: 'mem_3kTMd7xQa9Lp2Vr5Nc8W', email: 'alice@acme.test', name: 'Alice', role: 'owner' },
    },
  },
};

export const getAccountInput = z.object({ accountId: recordId() });

export const getAccountOutput = operatorAccountSchema;
