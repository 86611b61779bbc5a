import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import { seatsInRange } from '../../services/subscriptions/seats-in-range';
import { syncSubscription } from '../../services/subscriptions/sync-subscription';
import { stripeGateway } from '../../stripe/gateway';
import { ignored, logIgnored } from './ignored';
import type { Effect } from './index';

/**
 * Events only say that a subscription changed; the subscription is read again from Stripe, so a late
 * or reordered delivery applies today's state rather than the one it carried (its seats brought into the
 * plan's range first). One Stripe does not have changes nothing.
 */
export async function resyncSubscription(
  deps: BillingDeps,
  event: Stripe.Event,
  subscriptionId: string,
  accountId?: string,
): Promise<Effect> {
  const found = await stripeGateway(deps.stripe).findSubscription(subscriptionId);
  if (!found) return ignored(deps, event, 'Stripe has no such subscription', { subscriptionId });
  const sub = await seatsInRange(deps, found);
  return async (tx) => {
    const outcome = await syncSubscription(tx, {
      sub,
      ...(accountId ? { accountId } : {}),
      eventCreated: new Date(event.created * 1000),
      now: deps.now(),
    });
    if (outcome === 'unknown_account' || outcome === 'unknown_price') {
      logIgnored(deps, event, outcome, { subscriptionId, outcome });
    }
  };
}
