import { defaultSeats, getPlan, isPaidPlan, LIVE_STATUSES } from '@contox/core';
import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { planOfPrice } from './plan-of-price';

/**
 * A live subscription whose seats are outside its plan's range (changed in Stripe's dashboard or through its API:
 * checkout and our portal configuration do not allow it) is brought back into range on Stripe, at the nearest
 * bound, and Stripe's answer is what gets applied: the plan is never granted for fewer seats than it needs.
 */
export async function seatsInRange(
  deps: Pick<BillingDeps, 'catalog' | 'stripe' | 'log'>,
  sub: Stripe.Subscription,
): Promise<Stripe.Subscription> {
  const item = sub.items.data[0];
  const sold = item ? planOfPrice(item.price) : null;
  if (!item || !sold || !LIVE_STATUSES.includes(sub.status)) return sub;
  const plan = getPlan(deps.catalog, sold.planId);
  const quantity = item.quantity ?? 1;
  const seats = isPaidPlan(plan) ? defaultSeats(plan, quantity) : quantity;
  if (seats === quantity) return sub;
  deps.log.warn('subscription seats outside the plan range: corrected on Stripe', {
    subscriptionId: sub.id,
    plan: plan.id,
    quantity,
    seats,
  });
  return stripeGateway(deps.stripe).setSeats({ subscriptionId: sub.id, itemId: item.id, quantity: seats });
}
