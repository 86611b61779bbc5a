import { PACK_IDS, PLAN_IDS } from '@contox/core';
import { z } from 'zod';
import { publicProcedure } from '../trpc';
import { plansResult } from './list-plans.types';

export const listPlans = publicProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/billing/plans',
      tags: ['plans'],
      summary: 'The plan and credit-pack catalogue (prices in euro cents per seat; null limits are unlimited)',
    },
  })
  .input(z.object({}))
  .output(plansResult)
  .query(({ ctx }) => ({
    plans: PLAN_IDS.map((id) => ctx.deps.catalog.plans[id]),
    packs: PACK_IDS.map((id) => ctx.deps.catalog.packs[id]),
  }));
