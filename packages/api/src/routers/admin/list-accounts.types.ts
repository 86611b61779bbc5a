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
