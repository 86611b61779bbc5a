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
};

export const getAccountInput = z.object({ accountId: recordId() });

export const getAccountOutput = operatorAccountSchema;
