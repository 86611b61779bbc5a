import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { memberSchema, TEAM_TAG } from './team.types';

export const transferOwnershipMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/account/transfer-ownership',
    tags: [TEAM_TAG],
    summary:
      'The owner hands the account to another member and becomes an admin, in one step (there is always exactly one owner). Owner only.',
    protect: true,
  },
  errors: ['not_found', 'conflict'],
};

export const transferOwnershipInput = z.object({ memberId: recordId() });

export const transferOwnershipOutput = z.object({ owner: memberSchema, previousOwner: memberSchema });
