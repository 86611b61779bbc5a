import { schema } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { priceLookupKey } from '@contox/core';
import { stripeGateway } from '../src/stripe/gateway';
import { sessionIdOf, settled } from './billing-helpers';
import { type Harness, useHarness } from './harness';

const PAYS = '4242424242424242';

describe.each(testDatabaseKinds())('one subscription however many checkouts are opened, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  const checkout = async (key: string, body: { planId: string; seats: number }) => {
    const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { url: string }).url;
  };
  const pay = (url: string) =>
    h.emulator.control.completeCheckout(sessionIdOf(url), PAYS).then(
      () => 'paid' as const,
      (err: unknown) => String(err),
    );
  const customerOf = async (accountId: string) => {
    const [account] = await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId));
    return account!.stripeCustomerId!;
  };
  const stripeSubscriptions = async (accountId: string) => {
    const subs = await h.deps.stripe.subscriptions.list({ customer: await customerOf(accountId), status: 'all' });
    return subs.data.map((s) => ({ status: s.status, seats: s.items.data[0]!.quantity }));
  };

  it('without seats, a checkout sells the fewest seats the plan allows', async () => {
    const { key, accountId } = await h.account();
    const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await pay((res.body as { url: string }).url)).toBe('paid');
    await settled(h);
    expect(await stripeSubscriptions(accountId)).toEqual([{ status: 'active', seats: 2 }]);
  });

  it('a checkout opened in a second tab expires the first one: only one can be paid', async () => {
    const { key, accountId } = await h.account();
    const first = await checkout(key, { planId: 'team', seats: 2 });
    const second = await checkout(key, { planId: 'team', seats: 4 });
    expect(await pay(first)).toMatch(/no longer active/);
    expect(await pay(second)).toBe('paid');
    await settled(h);
    expect(await stripeSubscriptions(accountId)).toEqual([{ status: 'active', seats: 4 }]);
    expect((await h.fetch('/api/billing/subscription', { key })).body).toMatchObject({ plan: 'team', seats: 4 });
  });

  it('two checkouts requested at once leave exactly one payable session; a refused request is told why', async () => {
    const { key, accountId } = await h.account();
    const answers = await Promise.all(
      [2, 3].map((seats) => h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team', seats } })),
    );
    // Either may give way to the other or not, depending on how the two interleave (forced in the next test).
    for (const a of answers.filter((a) => a.status !== 200)) {
      expect(a).toMatchObject({ status: 409, body: { error: expect.stringMatching(/same moment/) } });
    }
    const outcomes = await Promise.all(
      answers.filter((a) => a.status === 200).map((a) => pay((a.body as { url: string }).url)),
    );
    await settled(h);
    expect(outcomes.filter((o) => o === 'paid')).toHaveLength(1);
    expect((await stripeSubscriptions(accountId)).map((s) => s.status)).toEqual(['active']);
  });

  it('a request that finds a newer checkout beside its own gives way: 409 saying why, its own session expired', async () => {
    const { key, accountId } = await h.account();
    const older = sessionIdOf(await checkout(key, { planId: 'team', seats: 2 }));
    const customerId = await customerOf(accountId);
    // Another request's checkout, opened between this request's session and its look at the open ones: its stamp
    // (the millisecond the gateway opened it, metadata `contoxOpenedAt`) is newer than any this request can take.
    const [price] = (await h.deps.stripe.prices.list({ lookup_keys: [priceLookupKey('team', 'month')] })).data;
    const newer = await h.deps.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customerId,
      client_reference_id: accountId,
      metadata: { accountId, contoxOpenedAt: String(Date.now() + 3_600_000) },
      subscription_data: { metadata: { accountId } },
      line_items: [{ price: price!.id, quantity: 3 }],
      success_url: 'http://localhost:3000/ok',
      cancel_url: 'http://localhost:3000/no',
    });
    const refused = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team', seats: 4 } });
    expect(refused).toMatchObject({ status: 409, body: { error: expect.stringMatching(/same moment/) } });
    const sessions = (await h.deps.stripe.checkout.sessions.list({ customer: customerId, limit: 10 })).data;
    const statusOf = (id: string) => sessions.find((s) => s.id === id)?.status;
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.status === 'open').map((s) => s.id)).toEqual([newer.id]);
    expect(statusOf(older)).toBe('expired');
    expect(await pay(newer.url!)).toBe('paid');
    await settled(h);
    expect(await stripeSubscriptions(accountId)).toEqual([{ status: 'active', seats: 3 }]);
  });

  it('a checkout opened while an older one was being paid expires itself and leads to the portal', async () => {
    const { key, accountId } = await h.account();
    const paid = await checkout(key, { planId: 'team', seats: 2 });
    await h.emulator.control.delayNext(100, scaled(3_000));
    expect(await pay(paid)).toBe('paid');
    // The gateway itself, past the route's first look at Stripe: as if the payment landed just after that look.
    const [account] = await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId));
    const customerId = account!.stripeCustomerId!;
    const outcome = await stripeGateway(h.deps.stripe).subscriptionCheckout({
      accountId,
      customerId,
      planId: 'team',
      interval: 'month',
      seats: 4,
      successUrl: 'http://localhost:3000/ok',
      cancelUrl: 'http://localhost:3000/no',
    });
    expect(outcome).toMatchObject({ subscribed: { status: 'active' } });
    const open = await h.deps.stripe.checkout.sessions.list({ customer: customerId, status: 'open' });
    expect(open.data).toEqual([]);
    await settled(h);
    expect(await stripeSubscriptions(accountId)).toEqual([{ status: 'active', seats: 2 }]);
  });

  it('checkout right after a payment whose webhooks are still on their way opens the portal, not a second checkout', async () => {
    const { key, accountId } = await h.account();
    const first = await checkout(key, { planId: 'team', seats: 2 });
    await h.emulator.control.delayNext(100, scaled(3_000));
    const paidAt = Date.now();
    expect(await pay(first)).toBe('paid');
    const again = await checkout(key, { planId: 'business', seats: 5 });
    expect(again).toMatch(/\/p\/session\/bps_/);
    // Stripe's answer was written at once: the dashboard shows the plan before any webhook arrives.
    expect((await h.fetch('/api/billing/subscription', { key })).body).toMatchObject({
      plan: 'team',
      seats: 2,
      status: 'active',
    });
    // Still on their way: the service has accepted no webhook since the payment.
    const accepted = (await h.emulator.control.deliveries()).filter((d) => d.at >= paidAt && d.status === 200);
    expect(accepted).toEqual([]);
    await settled(h);
    expect(await stripeSubscriptions(accountId)).toEqual([{ status: 'active', seats: 2 }]);
  });
});
