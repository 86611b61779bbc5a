import { INTERVALS, type Interval, PLAN_IDS, type PlanId, parsePriceLookupKey } from '@contox/core';
import type Stripe from 'stripe';

/**
 * Which plan a Stripe price sells: its lookup key, or, for a price whose key moved to a newer
 * amount (grandfathered subscribers), the plan the catalogue sync wrote into its metadata.
 */
export function planOfPrice(price: Stripe.Price): { planId: PlanId; interval: Interval } | null {
  const byKey = price.lookup_key ? parsePriceLookupKey(price.lookup_key) : null;
  if (byKey) return byKey;
  const { planId, interval } = price.metadata ?? {};
  if (PLAN_IDS.includes(planId as PlanId) && INTERVALS.includes(interval as Interval)) {
    return { planId: planId as PlanId, interval: interval as Interval };
  }
  return null;
}
