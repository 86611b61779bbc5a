import type Stripe from 'stripe';
import { DomainError, defaultSeats, getPlan, isPaidPlan, priceLookupKey, validateSeats } from '@contox/core';
import { ensureCustomer } from '../../services/accounts/ensure-customer';
import { findLiveSubscription, type SubscriptionRow } from '../../store/subscriptions';
import { priceMissing, stripeGateway } from '../../stripe/gateway';
import { ownerProcedure } from '../trpc';
import { syncSubscription } from '../../services/subscriptions/sync-subscription';
import { allowedRedirect } from '../../services/subscriptions/redirect-url';
import { checkoutInput, urlResult } from './subscriptions.types';

export const createCheckout = ownerProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/api/billing/checkout',
      tags: ['subscription'],
      summary:
        'Subscribe to a paid plan through Stripe Checkout; with a subscription already running, the Stripe billing portal opens on the change instead',
      protect: true,
      errorResponses: {
        400: 'Unknown or free plan, seats outside the plan, or a redirect URL off this app',
        403: 'Not the account owner',
        409: 'Another checkout for this account was opened at the same moment',
        503: 'Stripe unavailable',
      },
    },
  })
  .input(checkoutInput)
  .output(urlResult)
  .mutation(async ({ ctx, input }) => {
    const { deps, principal } = ctx;
    const { db } = deps.database;
    const plan = getPlan(deps.catalog, input.planId);
    if (!isPaidPlan(plan)) {
      throw new DomainError(
        'INVALID_INPUT',
        `planId: the ${plan.id} plan needs no checkout; cancel the subscription to return to it`,
      );
    }
    if (plan.prices[input.interval] === null) {
      throw new DomainError('INVALID_INPUT', `interval: the ${plan.id} plan is not sold per ${input.interval}`);
    }
    const current = await findLiveSubscription(db, principal.accountId);
    const seats = validateSeats(plan, input.seats ?? defaultSeats(plan, current?.seats ?? null));
    const base = `${deps.config.appUrl}/billing/plan`;
    const successUrl = allowedRedirect(deps.config, 'successUrl', input.successUrl, `${base}?checkout=success`);
    const cancelUrl = allowedRedirect(deps.config, 'cancelUrl', input.cancelUrl, `${base}?checkout=cancelled`);
    const gateway = stripeGateway(deps.stripe);

    // A second subscription would bill twice: an account that already pays confirms the change in the portal.
    const local = current && changeOf(current);
    const customerId = local?.customerId ?? (await ensureCustomer(deps, principal.accountId));
    const adopt = async (sub: Stripe.Subscription): Promise<Change> => {
      await db.transaction((tx) =>
        syncSubscription(tx, { sub, accountId: principal.accountId, eventCreated: null, now: deps.now() }),
      );
      return { customerId, subscriptionId: sub.id, itemId: sub.items.data[0]?.id ?? null };
    };
    let change = local;
    if (!change) {
      // A checkout paid moments ago may not have reached us by webhook yet; Stripe knows already.
      const billing = await gateway.liveSubscriptionOf(customerId);
      if (billing) change = await adopt(billing);
    }
    if (!change) {
      const outcome = await gateway.subscriptionCheckout({
        accountId: principal.accountId,
        customerId,
        planId: plan.id,
        interval: input.interval,
        seats,
        successUrl,
        cancelUrl,
      });
      if ('url' in outcome) return { url: outcome.url };
      change = await adopt(outcome.subscribed);
    }
    const price = await gateway.priceByLookupKey(priceLookupKey(plan.id, input.interval));
    if (!price) throw priceMissing(plan.id, input.interval);
    const { itemId } = change;
    if (!itemId) throw new Error(`subscription ${change.subscriptionId} has no Stripe item`);
    const url = await gateway.portal({
      customerId: change.customerId,
      returnUrl: successUrl,
      updateConfirm: { subscriptionId: change.subscriptionId, itemId, priceId: price.id, quantity: seats },
    });
    return { url };
  });

interface Change {
  customerId: string;
  subscriptionId: string;
  itemId: string | null;
}

function changeOf(current: SubscriptionRow): Change {
  return {
    customerId: current.stripeCustomerId,
    subscriptionId: current.stripeSubscriptionId,
    itemId: current.stripeItemId,
  };
}
