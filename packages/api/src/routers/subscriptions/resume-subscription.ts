import { DomainError } from '@contox/core';
import { z } from 'zod';
import { stripeGateway } from '../../stripe/gateway';
import { ownerProcedure } from '../trpc';
import { requireLiveSubscription } from '../../services/subscriptions/live-subscription';
import { resumeResult } from './subscriptions.types';
import { syncSubscription } from '../../services/subscriptions/sync-subscription';

export const resumeSubscription = ownerProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/api/billing/resume',
      tags: ['subscription'],
      summary: 'Undo a pending cancellation: the subscription renews at the end of the period again',
      protect: true,
      errorResponses: { 403: 'Not the account owner', 409: 'Nothing to resume', 503: 'Stripe unavailable' },
    },
  })
  .input(z.object({}).default({}))
  .output(resumeResult)
  .mutation(async ({ ctx }) => {
    const { deps, principal } = ctx;
    const { db } = deps.database;
    const current = await requireLiveSubscription(db, principal.accountId, 'resume');
    if (!current.cancelAtPeriodEnd) {
      throw new DomainError('CONFLICT', 'The subscription is not scheduled to cancel: there is nothing to resume');
    }
    const sub = await stripeGateway(deps.stripe).resume(current.stripeSubscriptionId);
    await db.transaction((tx) =>
      syncSubscription(tx, { sub, accountId: principal.accountId, eventCreated: null, now: deps.now() }),
    );
    return { status: 'active' as const };
  });
