import { z } from 'zod';
import { stripeGateway } from '../../stripe/gateway';
import { ownerProcedure } from '../trpc';
import { requireLiveSubscription } from '../../services/subscriptions/live-subscription';
import { cancelResult } from './subscriptions.types';
import { syncSubscription } from '../../services/subscriptions/sync-subscription';
import { apiTime } from '../../time';

export const cancelSubscription = ownerProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/api/billing/cancel',
      tags: ['subscription'],
      summary:
        'Cancel at the end of the current billing period; the plan stays active until then. Repeating it changes nothing',
      protect: true,
      errorResponses: { 403: 'Not the account owner', 409: 'No active subscription', 503: 'Stripe unavailable' },
    },
  })
  .input(z.object({}).default({}))
  .output(cancelResult)
  .mutation(async ({ ctx }) => {
    const { deps, principal } = ctx;
    const { db } = deps.database;
    const current = await requireLiveSubscription(db, principal.accountId, 'cancel');
    const sub = await stripeGateway(deps.stripe).cancelAtPeriodEnd(current.stripeSubscriptionId);
    await db.transaction((tx) =>
      syncSubscription(tx, { sub, accountId: principal.accountId, eventCreated: null, now: deps.now() }),
    );
    const periodEnd = sub.items.data[0]?.current_period_end ?? current.currentPeriodEnd.getTime() / 1000;
    return { status: 'cancelled' as const, cancelAt: apiTime(new Date((sub.cancel_at ?? periodEnd) * 1000)) };
  });
