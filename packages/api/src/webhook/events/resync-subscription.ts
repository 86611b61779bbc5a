import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { syncSubscription } from '../../services/subscriptions/sync-subscription';
import type { Effect } from './index';

/**
 * Events only say that a subscription changed; the subscription is read again from Stripe, so a late
 * or reordered delivery applies today's state rather than the one it carried.
 */
export async function resyncSubscription(
  deps: BillingDeps,
  event: Stripe.Event,
  subscriptionId: string,
  accountId?: string,
): Promise<Effect> {
  const sub = await stripeGateway(deps.stripe).retrieveSubscription(subscriptionId);
  return async (tx) => {
    const outcome = await syncSubscription(tx, {
      sub,
      ...(accountId ? { accountId } : {}),
      eventCreated: new Date(event.created * 1000),
      now: deps.now(),
    });
    if (outcome === 'unknown_account' || outcome === 'unknown_price') {
      deps.log.warn('subscription event not applied', { eventId: event.id, subscriptionId, outcome });
    }
  };
}
