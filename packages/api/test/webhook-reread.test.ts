import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../src/ids';
import type { Logger } from '../src/logger';
import { stripeGateway } from '../src/stripe/gateway';
import { deliver, sessionIdOf, settled, stripeAttempts, subscribe } from './billing-helpers';
import { chargesOf, ledgerOf, paidAccount, purchasePack } from './fire/accounts';
import { useFireHarness } from './fire/fire-suite';
import { type Harness, WEBHOOK_SECRET } from './harness';

// Signed events are trusted to come from Stripe, not to say what is true now: a replayed, reordered or
// crafted payload must change nothing that Stripe itself does not show. Every case answers 2xx, so Stripe
// does not retry for days an event that can never apply.

const PACK = { id: 'credits_1m', tokens: 1_000_000, price: 500 };
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A signed event as Stripe would send it, carrying whatever object a test writes into it. */
const eventOf = (type: string, data: unknown) =>
  JSON.stringify({ id: newId('evt'), object: 'event', type, created: nowSeconds(), livemode: false, data });

describe.each(testDatabaseKinds())('webhook effects read again from Stripe, on %s', (kind) => {
  const harness = useFireHarness(kind);
  let h: Harness;
  let warnings: Record<string, unknown>[];
  let realLog: Logger;
  beforeEach(() => {
    h = harness();
    warnings = [];
    realLog = h.deps.log;
    h.deps.log = { ...realLog, warn: (msg, extra) => warnings.push({ msg, ...extra }) };
  });
  afterEach(() => {
    h.deps.log = realLog;
  });

  const ignoredBecause = (reason: RegExp | string) =>
    expect(warnings).toContainEqual(expect.objectContaining({ msg: 'webhook event ignored', reason }));
  const acknowledged = async (payload: string) => {
    const res = await deliver(h, payload);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ received: true });
  };
  const paymentsOf = (accountId: string) =>
    h.db.db.select().from(schema.creditPayments).where(eq(schema.creditPayments.accountId, accountId));
  const accountRow = async (accountId: string) =>
    (await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId)))[0]!;

  /** Stripe events for work done while deliveries are off: the test delivers (or forges) them itself. */
  async function quietly<T>(work: () => Promise<T>): Promise<T> {
    await settled(h);
    await h.emulator.control.setWebhook(null);
    try {
      return await work();
    } finally {
      await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    }
  }
  async function eventFor(type: string, objectId: string): Promise<string> {
    const events = await h.deps.stripe.events.list({ type, limit: 100 });
    const event = events.data.find((e) => (e.data.object as { id?: string }).id === objectId);
    if (!event) throw new Error(`no ${type} event for ${objectId}`);
    return JSON.stringify(event);
  }
  /** Stripe's event (same id) with its type and some of its object's fields rewritten. */
  function rewritten(event: string, type: string, object: object): string {
    const parsed = JSON.parse(event) as Stripe.Event;
    return JSON.stringify({ ...parsed, type, data: { object: { ...parsed.data.object, ...object } } });
  }
  /** A pending purchase of the pack, as a purchase leaves it before Stripe answers. */
  async function pendingPayment(accountId: string): Promise<string> {
    const id = newId('pay');
    await h.db.db.insert(schema.creditPayments).values({
      id,
      accountId,
      kind: 'purchase',
      packId: PACK.id,
      tokens: PACK.tokens,
      price: PACK.price,
      status: 'pending',
      periodStart: h.clock.now,
    });
    return id;
  }
  /** A real charge on Stripe, made with our key, carrying a payment's metadata: what only Stripe can hold. */
  async function charge(customerId: string, paymentId: string, over: Partial<Stripe.PaymentIntentCreateParams> = {}) {
    const card = (await h.deps.stripe.paymentMethods.list({ customer: customerId, type: 'card' })).data[0]!;
    return h.deps.stripe.paymentIntents.create({
      amount: PACK.price,
      currency: 'eur',
      customer: customerId,
      payment_method: card.id,
      off_session: true,
      confirm: true,
      metadata: { creditPaymentId: paymentId },
      ...over,
    });
  }

  it('payment_intent.succeeded naming a new PaymentIntent and a credited payment credits nothing more', async () => {
    const a = await paidAccount(h);
    // Its webhook is held back, so that a rewritten copy of it arrives first.
    expect((await quietly(() => purchasePack(h, a.key))).status).toBe(200);
    const [paid] = await paymentsOf(a.accountId);
    const genuine = await h.deps.stripe.paymentIntents.retrieve(paid!.paymentIntentId!);

    // Crafted: an event and a PaymentIntent Stripe never issued, with the credited payment's metadata.
    await acknowledged(eventOf('payment_intent.succeeded', { object: { ...genuine, id: newId('pi') } }));
    ignoredBecause('Stripe sent no such PaymentIntent event');
    // Stripe's own event with its payload rewritten the same way: Stripe's copy names the charge already credited.
    const original = await eventFor('payment_intent.succeeded', genuine.id);
    await acknowledged(rewritten(original, 'payment_intent.succeeded', { id: newId('pi') }));
    // Real: a second charge on Stripe carrying the same metadata is still not this payment's charge.
    const second = await quietly(() => charge(a.customerId, paid!.id));
    await acknowledged(await eventFor('payment_intent.succeeded', second.id));
    ignoredBecause('the payment was settled by another PaymentIntent');

    expect((await ledgerOf(h, a.accountId)).map((t) => [t.type, t.amount, t.externalRef])).toEqual([
      ['purchase', PACK.tokens, genuine.id],
    ]);
  });

  it('a PaymentIntent that differs from the payment in amount, currency or customer settles nothing', async () => {
    const a = await paidAccount(h);
    const other = await paidAccount(h);
    const paymentId = await pendingPayment(a.accountId);
    const impostors = await quietly(async () => [
      await charge(a.customerId, paymentId, { amount: PACK.price + 1 }),
      await charge(a.customerId, paymentId, { currency: 'usd' }),
      await charge(other.customerId, paymentId),
    ]);
    for (const pi of impostors) await acknowledged(await eventFor('payment_intent.succeeded', pi.id));
    ignoredBecause('amount or currency differ');
    ignoredBecause("the PaymentIntent is not the account's customer's");
    expect(warnings.filter((w) => w.paymentId === paymentId)).toHaveLength(3);
    expect((await paymentsOf(a.accountId))[0]).toMatchObject({ status: 'pending', paymentIntentId: null });
    expect(await ledgerOf(h, a.accountId)).toEqual([]);

    // The payment's own charge, matching in every way, is credited: the checks refuse impostors only.
    const own = await quietly(() =>
      stripeGateway(h.deps.stripe).chargeOffSession({
        customerId: a.customerId,
        paymentMethodId: impostors[0]!.payment_method as string,
        amount: PACK.price,
        paymentId,
        description: PACK.id,
        metadata: {},
      }),
    );
    await acknowledged(await eventFor('payment_intent.succeeded', own.paymentIntentId));
    expect((await ledgerOf(h, a.accountId)).map((t) => [t.amount, t.externalRef])).toEqual([
      [PACK.tokens, own.paymentIntentId],
    ]);
  });

  it("what a payment event says is not used: Stripe's copy fails or credits, whatever the payload claims", async () => {
    const a = await paidAccount(h);
    const paymentId = await pendingPayment(a.accountId);
    const crafted = { id: newId('pi'), object: 'payment_intent', status: 'requires_payment_method' };
    const metadata = { creditPaymentId: paymentId };
    await acknowledged(eventOf('payment_intent.payment_failed', { object: { ...crafted, metadata } }));
    ignoredBecause('Stripe sent no such PaymentIntent event');
    expect((await paymentsOf(a.accountId))[0]!.status).toBe('pending');

    // Stripe's succeeded event relabelled a failure: the payment is credited, once, and not failed.
    const paid = await quietly(() => charge(a.customerId, paymentId));
    // Stripe's charge event of that charge, relabelled: its charge carries the same metadata, amount and customer,
    // but is no PaymentIntent.
    const chargeEvent = await eventFor('charge.succeeded', paid.latest_charge as string);
    await acknowledged(rewritten(chargeEvent, 'payment_intent.succeeded', {}));
    expect(warnings.filter((w) => w.reason === 'Stripe sent no such PaymentIntent event')).toHaveLength(2);
    expect(await ledgerOf(h, a.accountId)).toEqual([]);
    const succeeded = await eventFor('payment_intent.succeeded', paid.id);
    await acknowledged(rewritten(succeeded, 'payment_intent.payment_failed', { status: 'requires_payment_method' }));
    expect((await deliver(h, succeeded)).body).toEqual({ received: true, duplicate: true });
    expect((await paymentsOf(a.accountId))[0]).toMatchObject({ status: 'succeeded', failureCode: null });
    expect((await ledgerOf(h, a.accountId)).map((t) => t.externalRef)).toEqual([paid.id]);

    // Stripe's failure event relabelled a success: the payment fails with Stripe's decline, nothing credited.
    const declining = await paidAccount(h, { card: null });
    await h.deps.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: declining.customerId });
    const unpaidId = await pendingPayment(declining.accountId);
    const declined = await quietly(() =>
      charge(declining.customerId, unpaidId).then(
        () => expect.unreachable('the card was charged'),
        (err: Stripe.errors.StripeCardError) => err.payment_intent!,
      ),
    );
    const failed = await eventFor('payment_intent.payment_failed', declined.id);
    await acknowledged(rewritten(failed, 'payment_intent.succeeded', { status: 'succeeded' }));
    expect((await paymentsOf(declining.accountId))[0]).toMatchObject({
      status: 'failed',
      failureCode: 'CARD_DECLINED',
    });
    expect(await ledgerOf(h, declining.accountId)).toEqual([]);
  });

  it('Stripe unreachable while the event is read again: 500 and nothing kept, so the retry credits', async () => {
    const a = await paidAccount(h);
    const paymentId = await pendingPayment(a.accountId);
    const paid = await quietly(() => charge(a.customerId, paymentId));
    const event = await eventFor('payment_intent.succeeded', paid.id);
    await h.emulator.control.failNext(stripeAttempts(h), '500', 0, '/v1/events');
    expect((await deliver(h, event)).status).toBe(500);
    expect(await ledgerOf(h, a.accountId)).toEqual([]);
    await acknowledged(event);
    expect((await ledgerOf(h, a.accountId)).map((t) => t.externalRef)).toEqual([paid.id]);
  });

  it('checkout.session.completed links no customer Stripe does not show completed for that account', async () => {
    const victim = await h.account();
    const completed = (object: object) => eventOf('checkout.session.completed', { object });
    const forSubscription = { object: 'checkout.session', mode: 'subscription', status: 'complete' };
    const names = { client_reference_id: victim.accountId, metadata: { accountId: victim.accountId } };

    // A session Stripe never issued.
    const attacker = { customer: 'cus_attacker', subscription: 'sub_attacker' };
    await acknowledged(completed({ ...forSubscription, ...names, ...attacker, id: 'cs_test_forged' }));
    // Another account's real, completed session, its payload rewritten to name the victim: applied as Stripe has
    // it, to the account it really belongs to.
    const owner = await h.account();
    const session = await h.deps.stripe.checkout.sessions.retrieve(
      sessionIdOf(await subscribe(h, owner.key, { planId: 'personal' })),
    );
    await acknowledged(completed({ ...session, ...names }));
    // Real sessions naming the victim: one nobody completed, one completed whose two account names disagree.
    const price = (await stripeGateway(h.deps.stripe).priceByLookupKey('contox_personal_monthly'))!;
    const open = (metadata: Record<string, string>) =>
      paidAccount(h).then(({ customerId }) =>
        h.deps.stripe.checkout.sessions.create({
          mode: 'subscription',
          customer: customerId,
          client_reference_id: victim.accountId,
          metadata,
          line_items: [{ price: price.id, quantity: 1 }],
          success_url: 'http://localhost:3000/ok',
        }),
      );
    const unpaid = await open(names.metadata);
    await acknowledged(completed({ ...unpaid, ...forSubscription, subscription: attacker.subscription }));
    const disagreeing = await open({ accountId: owner.accountId });
    await quietly(() => h.emulator.control.completeCheckout(disagreeing.id, '4242424242424242'));
    await acknowledged(await eventFor('checkout.session.completed', disagreeing.id));

    const refused = warnings.filter((w) => /no completed subscription checkout of an account/.test(String(w.reason)));
    expect(refused.map((w) => w.sessionId)).toEqual(['cs_test_forged', unpaid.id, disagreeing.id]);
    expect(await accountRow(victim.accountId)).toMatchObject({ stripeCustomerId: null, plan: 'free' });
    expect(await accountRow(owner.accountId)).toMatchObject({ stripeCustomerId: session.customer, plan: 'personal' });
  });

  it('events naming unknown objects or carrying odd payloads are acknowledged, logged, and change nothing', async () => {
    const a = await paidAccount(h);
    const paymentId = await pendingPayment(a.accountId);
    const subscriptions = () => h.db.db.select().from(schema.subscriptions);
    const subscriptionsBefore = await subscriptions();
    const cases: [string, unknown][] = [
      ['customer.subscription.updated', { object: { id: 'sub_unknown', object: 'subscription', status: 'active' } }],
      ['customer.subscription.deleted', { object: { id: 'sub_../../v1/customers' } }],
      ['customer.subscription.updated', { object: { id: '' } }],
      ['customer.subscription.created', undefined],
      ['invoice.paid', null],
      ['invoice.payment_failed', { object: 'an invoice' }],
      ['invoice.paid', { object: { parent: { subscription_details: { subscription: 'sub_unknown' } } } }],
      ['payment_intent.succeeded', { object: { id: 42, metadata: { creditPaymentId: paymentId } } }],
      ['payment_intent.succeeded', { object: { id: '', metadata: { creditPaymentId: paymentId } } }],
      ['payment_intent.payment_failed', {}],
      ['checkout.session.completed', { object: null }],
      ['checkout.session.completed', { object: { id: 'cs_x/../../customers', mode: 'subscription' } }],
    ];
    for (const [type, data] of cases) await acknowledged(eventOf(type, data));
    expect(warnings.filter((w) => w.msg === 'webhook event ignored')).toHaveLength(cases.length);
    ignoredBecause('Stripe has no such subscription');
    ignoredBecause('no subscription in the payload');
    ignoredBecause('no invoice in the payload');
    ignoredBecause('no PaymentIntent in the payload');
    ignoredBecause('no checkout session in the payload');
    expect((await paymentsOf(a.accountId))[0]!.status).toBe('pending');
    expect(await chargesOf(h, a.customerId)).toEqual([]);
    expect(await subscriptions()).toEqual(subscriptionsBefore);
  });
});
