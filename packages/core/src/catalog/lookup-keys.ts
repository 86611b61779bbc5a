import { PLAN_IDS, type Interval, type PlanId } from './types';

const INTERVAL_SUFFIX: Record<Interval, string> = { month: 'monthly', year: 'yearly' };

/** Stripe prices are found by lookup key, so the key is the only link between a Stripe price and a plan. */
export const priceLookupKey = (planId: PlanId, interval: Interval): string =>
  `contox_${planId}_${INTERVAL_SUFFIX[interval]}`;

const LOOKUP_KEY = new RegExp(`^contox_(${PLAN_IDS.join('|')})_(monthly|yearly)$`);

export function parsePriceLookupKey(key: string): { planId: PlanId; interval: Interval } | null {
  const match = LOOKUP_KEY.exec(key);
  if (match === null) return null;
  return { planId: match[1] as PlanId, interval: match[2] === 'monthly' ? 'month' : 'year' };
}
