import { createHmac } from 'node:crypto';
import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/ids';
import { ensureCustomer } from '../src/services/accounts/ensure-customer';
import { stripeGateway } from '../src/stripe/gateway';
import { syncSubscription } from '../src/services/subscriptions/sync-subscription';
import { deliver, settled, stripeAttempts, subscribe } from './billing-helpers';
import { type Harness, useHarness, WEBHOOK_SECRET } from './harness';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each(testDatabaseKinds())('POST /api/billing/webhook on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  const recorded = async (eventId: string) =>
    (await h.db.db.select().from(schema.stripeEvents).where(eq(schema.stripeEvents.id, eventId))).length;
  const subscriptionRow = async (accountId: string) =>
    (await h.db.db.select().from(schema.subscriptions).where(eq(schema.subscriptions.accountId, accountId)))[0]!;
  const accountPlan = async (accountId: string) =>
    (await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId)))[0]!.plan;

  /** The newest event Stripe emitted of a type for an object. */
  async function stripeEvent(type: string, objectId: string): Promise<Stripe.Event> {
    const events = await h.deps.stripe.events.list({ type, limit: 100 });
    const event = events.data.find((e) => (e.data.object as { id?: string }).id === objectId);
    if (!event) throw new Error(`no ${type} event for ${objectId}`);
    return event;
  }

  /** A new delivery (fresh event id) of an old event's payload, as a late or reordered event looks. */
  const replayOf = (event: Stripe.Event, type: string) => JSON.stringify({ ...event, id: newId('evt'), type });

  const probe = (id: string) =>
    JSON.stringify({
      id,
      object: 'event',
      type: 'customer.created',
      created: nowSeconds(),
      data: { object: { id: 'cus_x' } },
    });

  it('refuses bad signatures and timestamps outside five minutes either way with 400 { error }', async () => {
    const payload = probe('evt_probe_rejected');
    const now = nowSeconds();
    const good = h.deps.stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: now });
    const cases: [string, Promise<{ status: number; body: unknown }>, RegExp][] = [
      ['wrong secret', deliver(h, payload, { secret: 'whsec_other' }), /signature/i],
      ['tampered body', deliver(h, payload.replace('cus_x', 'cus_y'), { signature: good }), /signature/i],
      ['no header', h.fetch('/api/billing/webhook', { method: 'POST', body: payload }), /Missing Stripe-Signature/],
      ['garbage header', deliver(h, payload, { signature: 'not-a-signature' }), /signature|header/i],
      ['stale', deliver(h, payload, { timestamp: now - 360 }), /tolerance|timestamp/i],
      ['future', deliver(h, payload, { timestamp: now + 360 }), /future/],
    ];
    for (const [name, request, message] of cases) {
      const res = await request;
      expect(res.status, name).toBe(400);
      expect(res.body, name).toEqual({ error: expect.stringMatching(message), code: 'validation_failed' });
    }
    expect(await recorded('evt_probe_rejected')).toBe(0);
  });

  it('accepts a small clock skew and a header carrying a rotated-out signature next to the good one', async () => {
    const skewed = await deliver(h, probe('evt_probe_skew'), { timestamp: nowSeconds() + 60 });
    expect(skewed.status).toBe(200);
    const payload = probe('evt_probe_rotation');
    const t = nowSeconds();
    const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${payload}`).digest('hex');
    const res = await deliver(h, payload, { signature: `t=${t},v1=${'0'.repeat(64)},v1=${v1}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
  });

  it('acknowledges event types it does not act on with 200 and records nothing', async () => {
    const res = await deliver(h, probe('evt_probe_unknown'));
    expect(res.status).toBe(200);
    expect(await recorded('evt_probe_unknown')).toBe(0);
  });

  it('the same event delivered 10 times at once has exactly one effect', async () => {
    const { accountId } = await h.account();
    const gateway = stripeGateway(h.deps.stripe);
    const customerId = await ensureCustomer(h.deps, accountId);
    const card = await h.deps.stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
    const paymentId = newId('cpay');
    await h.db.db.insert(schema.creditPayments).values({
      id: paymentId,
      accountId,
      kind: 'purchase',
      packId: 'credits_1m',
      tokens: 1_000_000,
      price: 500,
      status: 'pending',
      periodStart: h.clock.now,
    });
    // Charged with the webhook switched off, as if the answer and every delivery had been lost so far.
    await h.emulator.control.setWebhook(null);
    const { paymentIntentId } = await gateway.chargeOffSession({
      customerId,
      paymentMethodId: card.id,
      amount: 500,
      paymentId,
      description: 'credits_1m',
      metadata: { accountId },
    });
    await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    const event = await stripeEvent('payment_intent.succeeded', paymentIntentId);

    const payload = JSON.stringify(event);
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(h, payload)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => !(a.body as { duplicate?: boolean }).duplicate)).toHaveLength(1);

    const ledger = await h.db.db
      .select()
      .from(schema.creditTransactions)
      .where(eq(schema.creditTransactions.accountId, accountId));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ type: 'purchase', amount: 1_000_000, price: 500, externalRef: paymentIntentId });
    const [balance] = await h.db.db
      .select()
      .from(schema.creditBalances)
      .where(eq(schema.creditBalances.accountId, accountId));
    expect(balance!.balance).toBe(1_000_000);
    expect(await recorded(event.id)).toBe(1);
  });

  it('Stripe delivering every event twice still gives one subscription', async () => {
    const { key, accountId } = await h.account();
    // More than one subscription's worth of events; any left over only duplicate later deliveries.
    await h.emulator.control.duplicateNext(20);
    await subscribe(h, key, { planId: 'team', seats: 3 });
    const rows = await h.db.db.select().from(schema.subscriptions).where(eq(schema.subscriptions.accountId, accountId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ plan: 'team', seats: 3, status: 'active' });
  });

  it('an `updated (active)` arriving after `deleted` leaves the subscription canceled', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'team', seats: 2 });
    const row = await subscriptionRow(accountId);
    const created = await stripeEvent('customer.subscription.created', row.stripeSubscriptionId);
    expect((created.data.object as Stripe.Subscription).status).toBe('active');

    await h.deps.stripe.subscriptions.cancel(row.stripeSubscriptionId);
    await settled(h);
    expect(await subscriptionRow(accountId)).toMatchObject({ status: 'canceled' });
    expect(await accountPlan(accountId)).toBe('free');

    const late = await deliver(h, replayOf(created, 'customer.subscription.updated'));
    expect(late.status).toBe(200);
    expect(await subscriptionRow(accountId)).toMatchObject({ status: 'canceled' });
    expect(await accountPlan(accountId)).toBe('free');

    // Even handed the stale active object directly, with a newer event time, the sync refuses.
    const stale = created.data.object as Stripe.Subscription;
    const outcome = await h.db.db.transaction((tx) =>
      syncSubscription(tx, { sub: stale, eventCreated: new Date(Date.now() + 3_600_000), now: h.clock.now }),
    );
    expect(outcome).toBe('stale');
    expect(await subscriptionRow(accountId)).toMatchObject({ status: 'canceled' });
  });

  it('a state carried by an older event than the last one applied is not written', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'team', seats: 2 });
    const row = await subscriptionRow(accountId);
    const sub = await h.deps.stripe.subscriptions.retrieve(row.stripeSubscriptionId);
    const older = new Date(row.stripeEventCreated!.getTime() - 60_000);
    const changed = { ...sub, items: { ...sub.items, data: [{ ...sub.items.data[0]!, quantity: 9 }] } };
    const outcome = await h.db.db.transaction((tx) =>
      syncSubscription(tx, { sub: changed, eventCreated: older, now: h.clock.now }),
    );
    expect(outcome).toBe('stale');
    expect((await subscriptionRow(accountId)).seats).toBe(2);
  });

  it('events Stripe delivers in reverse order end in the latest state', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'team', seats: 2 });
    await h.emulator.control.reorderNext(2);
    await h.fetch('/api/billing/cancel', { method: 'POST', key });
    await h.fetch('/api/billing/resume', { method: 'POST', key });
    await settled(h);
    expect(await subscriptionRow(accountId)).toMatchObject({
      status: 'active',
      cancelAtPeriodEnd: false,
      cancelAt: null,
    });
  });

  it('a failure while applying rolls the event back and answers 500; the redelivery applies it once', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'team', seats: 2 });
    const row = await subscriptionRow(accountId);
    await h.deps.stripe.subscriptions.update(row.stripeSubscriptionId, { cancel_at_period_end: true });
    await settled(h);
    const updated = await stripeEvent('customer.subscription.updated', row.stripeSubscriptionId);
    const payload = replayOf(updated, updated.type);
    const eventId = JSON.parse(payload).id as string;

    // Stripe unreachable for the re-read (every attempt the SDK makes): nothing is recorded, so the retry is
    // not mistaken for a duplicate.
    await h.emulator.control.failNext(stripeAttempts(h), '500');
    const unreachable = await deliver(h, payload);
    expect(unreachable.status).toBe(500);
    expect(unreachable.body).toEqual({ error: expect.any(String), code: 'internal' });
    expect(await recorded(eventId)).toBe(0);

    // The database write fails after the event row was inserted: both roll back.
    const realNow = h.clock.now;
    h.clock.now = new Date(Number.NaN);
    try {
      expect((await deliver(h, payload)).status).toBe(500);
    } finally {
      h.clock.now = realNow;
    }
    expect(await recorded(eventId)).toBe(0);

    const retried = await deliver(h, payload);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ received: true });
    expect(await recorded(eventId)).toBe(1);
    const again = await deliver(h, payload);
    expect(again.body).toEqual({ received: true, duplicate: true });
  });
});
