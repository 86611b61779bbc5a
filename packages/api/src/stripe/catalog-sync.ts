import { type Catalog, INTERVALS, type Interval, isPaidPlan, PLAN_IDS, type Plan, priceLookupKey } from '@contox/core';
import type Stripe from 'stripe';
import { stripeGateway } from './gateway';
import { syncPortalConfiguration } from './portal-configuration';
import { callStripe } from './stripe-errors';

export interface PriceSync {
  lookupKey: string;
  priceId: string;
  action: 'created' | 'replaced' | 'unchanged';
}

/** Product ids are ours, so a rerun finds the product without a search. */
export const productIdOf = (plan: Plan): string => `contox_${plan.id}`;

async function ensureProduct(stripe: Stripe, plan: Plan): Promise<void> {
  const id = productIdOf(plan);
  const existing = await callStripe(() => stripe.products.retrieve(id)).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'resource_missing') return null;
    throw err;
  });
  if (!existing) {
    await callStripe(() => stripe.products.create({ id, name: `Contox ${plan.name}`, metadata: { planId: plan.id } }));
  } else if (existing.name !== `Contox ${plan.name}` || !existing.active) {
    await callStripe(() => stripe.products.update(id, { name: `Contox ${plan.name}`, active: true }));
  }
}

const matches = (price: Stripe.Price, plan: Plan, interval: Interval, amount: number): boolean =>
  price.unit_amount === amount &&
  price.currency === 'eur' &&
  price.recurring?.interval === interval &&
  price.recurring.interval_count === 1 &&
  (typeof price.product === 'string' ? price.product : price.product.id) === productIdOf(plan);

async function syncPrice(stripe: Stripe, plan: Plan, interval: Interval, amount: number): Promise<PriceSync> {
  const lookupKey = priceLookupKey(plan.id, interval);
  const current = await stripeGateway(stripe).priceByLookupKey(lookupKey);
  if (current && matches(current, plan, interval, amount)) {
    return { lookupKey, priceId: current.id, action: 'unchanged' };
  }
  // Prices are immutable; the new one takes the key over and subscribers on the old one keep it until they
  // change plan. The metadata still names the plan once the old price has lost its key.
  const created = await callStripe(() =>
    stripe.prices.create({
      product: productIdOf(plan),
      currency: 'eur',
      unit_amount: amount,
      recurring: { interval },
      lookup_key: lookupKey,
      transfer_lookup_key: true,
      metadata: { planId: plan.id, interval },
    }),
  );
  return { lookupKey, priceId: created.id, action: current ? 'replaced' : 'created' };
}

/**
 * Makes Stripe's products and prices match the catalogue, and the billing portal's plan changes with them
 * (prices and seat ranges); a second run changes nothing.
 */
export async function syncCatalog(stripe: Stripe, catalog: Catalog): Promise<PriceSync[]> {
  const results: PriceSync[] = [];
  for (const id of PLAN_IDS) {
    const plan = catalog.plans[id];
    if (!isPaidPlan(plan)) continue;
    await ensureProduct(stripe, plan);
    for (const interval of INTERVALS) {
      const amount = plan.prices[interval];
      if (amount !== null) results.push(await syncPrice(stripe, plan, interval, amount));
    }
  }
  await syncPortalConfiguration(stripe, catalog);
  return results;
}
