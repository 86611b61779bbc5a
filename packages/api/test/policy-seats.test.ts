import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { productIdOf } from '../src/stripe/catalog-sync';
import { settled, subscribe } from './billing-helpers';
import { type Harness, useHarness, WEBHOOK_SECRET } from './harness';
import { portalForm, stripeSubscription, subscriptionOf } from './policy-helpers';

// Billing policy, seats: always within the plan's range (team 2-100, business 5-500, personal exactly 1). The
// portal's configuration limits quantities per plan as checkout does; a subscription that reaches the service
// out of range anyway (Stripe's dashboard or API) is brought back into range on Stripe, never granted cheaper.

describe.each(testDatabaseKinds())("billing policy: seats within the plan's range, on %s", (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  it("the portal's configuration carries each plan's seat range as adjustable_quantity", async () => {
    const configs = await h.deps.stripe.billingPortal.configurations.list({ active: true });
    const ours = configs.data.find((c) => c.metadata?.contox === 'plans');
    const products = ours?.features.subscription_update.products ?? [];
    const byProduct = Object.fromEntries(products.map((p) => [p.product, p.adjustable_quantity]));
    const { team, business, personal, enterprise } = h.deps.catalog.plans;
    expect(byProduct[productIdOf(team)]).toEqual({ enabled: true, minimum: 2, maximum: 100 });
    expect(byProduct[productIdOf(business)]).toEqual({ enabled: true, minimum: 5, maximum: 500 });
    expect(byProduct[productIdOf(personal)]).toEqual({ enabled: true, minimum: 1, maximum: 1 });
    expect(byProduct[productIdOf(enterprise)]).toEqual({ enabled: true, minimum: 10, maximum: null });
  });

  it('the portal refuses a team subscription of 1 seat or 101, and accepts 4', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const sub = await stripeSubscription(h, a.accountId);
    const res = await h.fetch('/api/billing/portal', { method: 'POST', key: a.key, body: {} });
    const url = (res.body as { url: string }).url;
    const change = (quantity: number) =>
      portalForm(url, {
        action: 'change',
        subscription: sub.id,
        price: sub.items.data[0]!.price.id,
        quantity: String(quantity),
      });

    const one = await change(1);
    expect(one.status).toBe(400);
    expect(await one.text()).toContain('Choose a quantity between 2 and 100 for this plan.');
    expect((await change(101)).status).toBe(400);
    await settled(h);
    expect(await subscriptionOf(h, a.key)).toMatchObject({ plan: 'team', seats: 2 });

    expect((await change(4)).status).toBe(303);
    await settled(h);
    expect(await subscriptionOf(h, a.key)).toMatchObject({ plan: 'team', seats: 4 });
  });

  it('a subscription changed out of range on Stripe is brought back into range there, and applied in range', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 3 });
    const sub = await stripeSubscription(h, a.accountId);
    const itemId = sub.items.data[0]!.id;

    await h.deps.stripe.subscriptions.update(sub.id, { items: [{ id: itemId, quantity: 1 }] });
    await settled(h);
    expect((await stripeSubscription(h, a.accountId)).items.data[0]!.quantity).toBe(2);
    expect(await subscriptionOf(h, a.key)).toMatchObject({ plan: 'team', seats: 2 });

    await h.deps.stripe.subscriptions.update(sub.id, { items: [{ id: itemId, quantity: 150 }] });
    await settled(h);
    expect((await stripeSubscription(h, a.accountId)).items.data[0]!.quantity).toBe(100);
    expect(await subscriptionOf(h, a.key)).toMatchObject({ plan: 'team', seats: 100 });
  });

  it("an answer of Stripe's to our own call, out of range, is corrected too before it is applied", async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 3 });
    const sub = await stripeSubscription(h, a.accountId);
    // No webhook tells the service of the change: only the answer to its cancel shows it.
    await h.emulator.control.setWebhook(null);
    try {
      await h.deps.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, quantity: 1 }] });
      expect((await h.fetch('/api/billing/cancel', { method: 'POST', key: a.key })).status).toBe(200);
      expect(await subscriptionOf(h, a.key)).toMatchObject({ plan: 'team', seats: 2, cancelAtPeriodEnd: true });
      expect((await stripeSubscription(h, a.accountId)).items.data[0]!.quantity).toBe(2);
    } finally {
      await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    }
  });
});
