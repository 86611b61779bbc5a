import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { subscribe, useEmulatorWithCatalog } from './helpers';

const env = useEmulatorWithCatalog();

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

const productOf = (price: Stripe.Price) => (typeof price.product === 'string' ? price.product : price.product.id);

/** Team between 2 and 10 seats, Business at a fixed quantity. */
function limitedConfiguration() {
  const { team, teamYearly, business } = env.catalog;
  return env.stripe.billingPortal.configurations.create({
    features: {
      subscription_update: {
        enabled: true,
        default_allowed_updates: ['price', 'quantity'],
        products: [
          {
            product: productOf(team),
            prices: [team.id, teamYearly.id],
            adjustable_quantity: { enabled: true, minimum: 2, maximum: 10 },
          },
          { product: productOf(business), prices: [business.id], adjustable_quantity: { enabled: false } },
        ],
      },
    },
    metadata: { purpose: 'test' },
  });
}

describe('billing portal configurations', () => {
  it('are created, read back, listed and updated with adjustable_quantity as Stripe shapes it', async () => {
    const config = await limitedConfiguration();
    expect(config).toMatchObject({
      object: 'billing_portal.configuration',
      active: true,
      metadata: { purpose: 'test' },
    });
    const products = config.features.subscription_update.products ?? [];
    expect(products[0]?.adjustable_quantity).toEqual({ enabled: true, minimum: 2, maximum: 10 });
    expect(products[1]?.adjustable_quantity).toEqual({ enabled: false, minimum: 0, maximum: null });
    expect(await env.stripe.billingPortal.configurations.retrieve(config.id)).toEqual(config);
    const listed = await env.stripe.billingPortal.configurations.list({ active: true });
    expect(listed.data.map((c) => c.id)).toContain(config.id);

    const { team } = env.catalog;
    const updated = await env.stripe.billingPortal.configurations.update(config.id, {
      features: {
        subscription_update: {
          products: [
            { product: productOf(team), prices: [team.id], adjustable_quantity: { enabled: true, minimum: 3 } },
          ],
        },
      },
    });
    expect(updated.features.subscription_update.products?.[0]?.adjustable_quantity).toEqual({
      enabled: true,
      minimum: 3,
      maximum: null,
    });
  });

  it('refuses a maximum below the minimum, and a price of another product', async () => {
    const { team, business } = env.catalog;
    const create = (product: Stripe.Price, price: Stripe.Price, minimum: number, maximum: number) =>
      env.stripe.billingPortal.configurations.create({
        features: {
          subscription_update: {
            enabled: true,
            products: [
              {
                product: productOf(product),
                prices: [price.id],
                adjustable_quantity: { enabled: true, minimum, maximum },
              },
            ],
          },
        },
      });
    await expect(create(team, team, 5, 2)).rejects.toMatchObject({ statusCode: 400 });
    await expect(create(team, business, 1, 2)).rejects.toMatchObject({ statusCode: 400 });
  });

  it("the portal page keeps quantities within the configuration's range, and a plan change withdraws a cancellation", async () => {
    const config = await limitedConfiguration();
    const { subscription, customer } = await subscribe(env.stripe, env.emu, env.catalog.team, 3);
    await env.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const portal = await env.stripe.billingPortal.sessions.create({ customer, configuration: config.id });
    expect(portal.configuration).toBe(config.id);
    const change = (price: Stripe.Price, quantity: number) =>
      postForm(portal.url, {
        action: 'change',
        subscription: subscription.id,
        price: price.id,
        quantity: String(quantity),
      });

    const tooFew = await change(env.catalog.team, 1);
    expect(tooFew.status).toBe(400);
    expect(await tooFew.text()).toContain('Choose a quantity between 2 and 10 for this plan.');
    expect((await change(env.catalog.team, 11)).status).toBe(400);
    expect((await change(env.catalog.business, 4)).status).toBe(400);
    const retrieved = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(retrieved.items.data[0]?.quantity).toBe(3);
    expect(retrieved.cancel_at_period_end).toBe(true);

    expect((await change(env.catalog.team, 10)).status).toBe(303);
    const after = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(after.items.data[0]?.quantity).toBe(10);
    expect(after).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
  });

  it('a session naming an unknown configuration is refused', async () => {
    const { customer } = await subscribe(env.stripe, env.emu, env.catalog.team, 2);
    await expect(
      env.stripe.billingPortal.sessions.create({ customer, configuration: 'bpc_missing' }),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});
