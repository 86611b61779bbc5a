import { z } from 'zod';
import { billingState } from '../../services/accounts/billing-state';
import { readProcedure } from '../trpc';
import { readUsage } from '../../services/usage/read-usage';
import { usageView } from './usage.types';

export const getUsage = readProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/billing/usage',
      tags: ['usage'],
      summary: 'Usage this period against the plan limits (storage is a level in bytes; null limit = unlimited)',
      protect: true,
    },
  })
  .input(z.object({}))
  .output(usageView)
  .query(async ({ ctx }) => {
    const { db } = ctx.deps.database;
    const state = await billingState(db, ctx.deps.catalog, ctx.principal.accountId, ctx.deps.now());
    return readUsage(db, ctx.principal.accountId, state);
  });
