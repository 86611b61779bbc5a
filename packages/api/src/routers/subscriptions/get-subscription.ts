import { z } from 'zod';
import { findAccountPlan } from '../../store/accounts';
import { findLatestSubscription, findLiveSubscription } from '../../store/subscriptions';
import { readProcedure } from '../trpc';
import { subscriptionView } from './subscriptions.types';
import { apiTime } from '../../time';

export const getSubscription = readProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/billing/subscription',
      tags: ['subscription'],
      summary: "The account's plan and subscription: status `none` on the free plan without one",
      protect: true,
    },
  })
  .input(z.object({}))
  .output(subscriptionView)
  .query(async ({ ctx }): Promise<z.infer<typeof subscriptionView>> => {
    const { db } = ctx.deps.database;
    const accountId = ctx.principal.accountId;
    const live = await findLiveSubscription(db, accountId);
    if (live) {
      return {
        plan: live.plan,
        status: live.status,
        seats: live.seats,
        interval: live.interval === 'year' ? 'year' : 'month',
        currentPeriodStart: apiTime(live.currentPeriodStart),
        currentPeriodEnd: apiTime(live.currentPeriodEnd),
        cancelAtPeriodEnd: live.cancelAtPeriodEnd,
        cancelAt: live.cancelAt ? apiTime(live.cancelAt) : null,
      };
    }
    // Without a paying subscription the account is on its plan (free), showing how the last one ended if any.
    const [plan, latest] = await Promise.all([findAccountPlan(db, accountId), findLatestSubscription(db, accountId)]);
    return {
      plan: plan ?? 'free',
      status: latest?.status ?? 'none',
      seats: 1,
      interval: null,
      currentPeriodStart: null,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      cancelAt: null,
    };
  });
