import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger';
import { freePlanView, settled } from '../billing-helpers';
import { paidAccount } from '../fire/accounts';
import { type Harness, useHarness } from '../harness';

// A subscription event Stripe sends for a customer we cannot match to an account (`unknown_account`), or for a
// price that sells none of our plans (`unknown_price`), is acknowledged (200, so Stripe stops redelivering),
// changes nothing, and is logged as a warning naming the outcome (src/webhook/events/resync-subscription.ts).

interface Warning {
  msg: string;
  extra: Record<string, unknown> | undefined;
}

describe.each(testDatabaseKinds())('subscription events we cannot apply, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  let warnings: Warning[];
  let original: Logger;
  beforeAll(() => {
    h = harness();
  });
  // The service's logger is the only place these outcomes show: listen to its warnings for each test.
  beforeEach(() => {
    warnings = [];
    original = h.deps.log;
    h.deps.log = { ...original, warn: (msg, extra) => warnings.push({ msg, extra }) };
  });
  afterEach(() => {
    h.deps.log = original;
  });

  const stripe = () => h.deps.stripe;
  const teamPrice = async () => (await stripe().prices.list({ lookup_keys: ['contox_team_monthly'] })).data[0]!;
  /** Stripe's deliveries of the events about one subscription, with the answers we gave. */
  async function deliveriesFor(sub: Stripe.Subscription) {
    const events = (await stripe().events.list({ limit: 100 })).data.filter(
      (e) => (e.data.object as { id?: string }).id === sub.id,
    );
    const ids = new Set(events.map((e) => e.id));
    expect(events.map((e) => e.type)).toContain('customer.subscription.created');
    return (await h.emulator.control.deliveries()).filter((d) => ids.has(d.eventId));
  }
  const rowsOf = (sub: Stripe.Subscription) =>
    h.db.db.select().from(schema.subscriptions).where(eq(schema.subscriptions.stripeSubscriptionId, sub.id));
  const outcomesFor = (sub: Stripe.Subscription) =>
    warnings.filter((w) => w.extra?.subscriptionId === sub.id).map((w) => w.extra?.outcome);

  async function subscribeInStripe(customer: string, price: string, metadata: Record<string, string> = {}) {
    const pm = await stripe().paymentMethods.attach('pm_card_visa', { customer });
    const sub = await stripe().subscriptions.create({
      customer,
      items: [{ price, quantity: 2 }],
      default_payment_method: pm.id,
      metadata,
    });
    await settled(h);
    return sub;
  }

  it('unknown_account: a customer of no account, with or without a made-up accountId in the metadata', async () => {
    const before = await h.db.db.select({ id: schema.accounts.id, plan: schema.accounts.plan }).from(schema.accounts);
    const price = (await teamPrice()).id;
    for (const metadata of [{}, { accountId: 'acc_does_not_exist' }] as Record<string, string>[]) {
      const customer = await stripe().customers.create({ email: 'stranger@example.com' });
      const sub = await subscribeInStripe(customer.id, price, metadata);
      const deliveries = await deliveriesFor(sub);
      expect(deliveries.length).toBeGreaterThan(0);
      // Acknowledged at the first attempt: nothing for Stripe to retry.
      expect(deliveries.every((d) => d.status === 200 && d.attempt === 1)).toBe(true);
      expect(await rowsOf(sub)).toEqual([]);
      expect(outcomesFor(sub)).toContain('unknown_account');
      expect(outcomesFor(sub).every((o) => o === 'unknown_account')).toBe(true);
    }
    const after = await h.db.db.select({ id: schema.accounts.id, plan: schema.accounts.plan }).from(schema.accounts);
    expect(after).toEqual(before);
  });

  it("unknown_price: our account's customer on a price that sells none of our plans stays on free", async () => {
    const a = await paidAccount(h, { plan: 'free', card: null });
    const product = await stripe().products.create({ name: 'Something else' });
    const price = await stripe().prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 1234,
      recurring: { interval: 'month' },
    });
    const sub = await subscribeInStripe(a.customerId, price.id);
    expect(sub.status).toBe('active');

    const deliveries = await deliveriesFor(sub);
    expect(deliveries.every((d) => d.status === 200 && d.attempt === 1)).toBe(true);
    expect(await rowsOf(sub)).toEqual([]);
    expect(outcomesFor(sub)).toContain('unknown_price');
    expect(outcomesFor(sub).every((o) => o === 'unknown_price')).toBe(true);
    expect((await h.fetch('/api/billing/subscription', { key: a.key })).body).toEqual(freePlanView());
    expect((await h.fetch('/api/billing/usage', { key: a.key })).body).toMatchObject({ plan: 'free' });
  });

  it('the same subscription moved onto one of our prices is applied to the account', async () => {
    const a = await paidAccount(h, { plan: 'free', card: null });
    const product = await stripe().products.create({ name: 'Something else' });
    const foreign = await stripe().prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 1234,
      recurring: { interval: 'month' },
    });
    const sub = await subscribeInStripe(a.customerId, foreign.id);
    expect(outcomesFor(sub)).toContain('unknown_price');
    await stripe().subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: (await teamPrice()).id, quantity: 2 }],
      proration_behavior: 'none',
    });
    await settled(h);
    expect((await h.fetch('/api/billing/subscription', { key: a.key })).body).toMatchObject({
      plan: 'team',
      status: 'active',
      seats: 2,
    });
  });
});
