import { type Catalog, INTERVALS, isPaidPlan, PLAN_IDS, priceLookupKey } from '@contox/core';
import type Stripe from 'stripe';
import { productIdOf } from './catalog-sync';
import { stripeGateway } from './gateway';
import { callStripe } from './stripe-errors';

/** Our configuration is found again by this metadata, so a restart or a second server reuses it. */
const MARK = { contox: 'plans' };

type Products = Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionUpdate.Product[];

/**
 * The portal's plan changes, per plan: its current prices, and seats adjustable only within the plan's range (a
 * plan of exactly one seat has the range 1-1, so a move to it from more seats is allowed at one seat, and no other).
 */
async function productsOf(stripe: Stripe, catalog: Catalog): Promise<Products> {
  const products: Products = [];
  for (const id of PLAN_IDS) {
    const plan = catalog.plans[id];
    if (!isPaidPlan(plan)) continue;
    const prices: string[] = [];
    for (const interval of INTERVALS) {
      if (plan.prices[interval] === null) continue;
      const price = await stripeGateway(stripe).priceByLookupKey(priceLookupKey(plan.id, interval));
      if (price) prices.push(price.id);
    }
    if (prices.length === 0) continue;
    products.push({
      product: productIdOf(plan),
      prices,
      adjustable_quantity: {
        enabled: true,
        minimum: plan.minSeats,
        ...(plan.maxSeats === null ? {} : { maximum: plan.maxSeats }),
      },
    });
  }
  return products;
}

async function findConfiguration(stripe: Stripe): Promise<Stripe.BillingPortal.Configuration | null> {
  const list = await callStripe(() => stripe.billingPortal.configurations.list({ active: true, limit: 100 }));
  return list.data.find((c) => c.metadata?.contox === MARK.contox) ?? null;
}

/**
 * Makes the portal configuration match the catalogue (created on first use, updated after), so the portal
 * offers every paid plan and keeps seats within each plan's range, as checkout does.
 */
export async function syncPortalConfiguration(stripe: Stripe, catalog: Catalog): Promise<string> {
  const subscriptionUpdate = {
    enabled: true,
    default_allowed_updates: ['price' as const, 'quantity' as const],
    products: await productsOf(stripe, catalog),
    proration_behavior: 'create_prorations' as const,
  };
  const existing = await findConfiguration(stripe);
  const config = existing
    ? await callStripe(() =>
        stripe.billingPortal.configurations.update(existing.id, {
          features: { subscription_update: subscriptionUpdate },
        }),
      )
    : await callStripe(() =>
        stripe.billingPortal.configurations.create({
          features: {
            subscription_cancel: { enabled: true, mode: 'at_period_end' },
            payment_method_update: { enabled: true },
            invoice_history: { enabled: true },
            subscription_update: subscriptionUpdate,
          },
          metadata: MARK,
        }),
      );
  known.set(stripe, Promise.resolve(config.id));
  return config.id;
}

// One lookup per Stripe client: the configuration outlives every portal session opened with it.
const known = new WeakMap<Stripe, Promise<string>>();

/** The configuration every portal session of ours uses; set up from the catalogue the first time it is needed. */
export function portalConfigurationId(stripe: Stripe, catalog: Catalog): Promise<string> {
  const cached = known.get(stripe);
  if (cached) return cached;
  const found = findConfiguration(stripe).then((c) => c?.id ?? syncPortalConfiguration(stripe, catalog));
  // A failed lookup is not remembered: the next portal request asks again.
  found.catch(() => known.delete(stripe));
  known.set(stripe, found);
  return found;
}
