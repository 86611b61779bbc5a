import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import type { ApiFaultKind } from '@contox/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newId } from '../src/ids';
import { reconcilePendingPayments, SETTLE_PENDING_AFTER_MS } from '../src/index';
import { abandonPayment } from '../src/services/credits/settle-payment';
import { deliver, settled, stripeAttempts } from './billing-helpers';
import { chargesOf, ledgerOf, paidAccount, purchasePack } from './fire/accounts';
import { useFireHarness } from './fire/fire-suite';
import { type Harness, WEBHOOK_SECRET } from './harness';

// A purchase made without an Idempotency-Key while Stripe was down has nobody to retry it, and when its
// webhook never comes either its payment would stay pending for ever. The reconciler settles it from Stripe.

const PACK_TOKENS = 1_000_000;
/** The personal plan's monthly allowance, spent first. */
const ALLOWANCE = 1_000_000;

describe.each(testDatabaseKinds())('pending payments settled from Stripe, on %s', (kind) => {
  const harness = useFireHarness(kind);

  const paymentsOf = (h: Harness, accountId: string) =>
    h.db.db.select().from(schema.creditPayments).where(eq(schema.creditPayments.accountId, accountId));
  /** Pending purchases of the 1M pack, as a purchase leaves one before Stripe answers. */
  async function pendingPayments(h: Harness, accountId: string, n = 1): Promise<string[]> {
    const rows = Array.from({ length: n }, () => ({
      id: newId('pay'),
      accountId,
      kind: 'purchase' as const,
      packId: 'credits_1m',
      tokens: PACK_TOKENS,
      price: 500,
      status: 'pending' as const,
      periodStart: h.clock.now,
    }));
    await h.db.db.insert(schema.creditPayments).values(rows);
    return rows.map((r) => r.id);
  }
  const outcomesFor = (results: { paymentId: string; outcome: string }[], paymentId: string) =>
    results.filter((r) => r.paymentId === paymentId).map((r) => r.outcome);

  /**
   * A purchase with no Idempotency-Key during an outage of the charge call (every attempt the SDK makes), with
   * Stripe's webhooks lost too: the caller got a 503 and the payment is left pending.
   */
  async function cutMidPurchase(h: Harness, fault: ApiFaultKind, card = 'pm_card_visa') {
    const a = await paidAccount(h, { card: null });
    const pm = await h.deps.stripe.paymentMethods.attach(card, { customer: a.customerId });
    await h.deps.stripe.customers.update(a.customerId, { invoice_settings: { default_payment_method: pm.id } });
    await settled(h);
    await h.emulator.control.setWebhook(null);
    try {
      await h.emulator.control.failNext(stripeAttempts(h), fault, 100, '/v1/payment_intents');
      const res = await purchasePack(h, a.key);
      expect(res.status).toBe(503);
    } finally {
      await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    }
    const [payment] = await paymentsOf(h, a.accountId);
    expect(payment).toMatchObject({ status: 'pending', paymentIntentId: null });
    return { ...a, paymentId: payment!.id };
  }

  it('Stripe charged but the answer and the webhook were lost: credited once, and never again', async () => {
    const h = harness();
    const a = await cutMidPurchase(h, 'timeout');
    const [charged] = await chargesOf(h, a.customerId);
    expect(charged).toMatchObject({ status: 'succeeded', metadata: { creditPaymentId: a.paymentId } });
    expect(await ledgerOf(h, a.accountId)).toEqual([]);

    // Too recent to be settled: a purchase may still be on its way to Stripe.
    const early = await reconcilePendingPayments(h.deps, { olderThanMs: SETTLE_PENDING_AFTER_MS });
    expect(outcomesFor(early, a.paymentId)).toEqual([]);
    expect((await paymentsOf(h, a.accountId))[0]!.status).toBe('pending');

    // Two reconcilers at once (two processes starting) settle it once between them.
    const runs = await Promise.all([0, 1].map(() => reconcilePendingPayments(h.deps, { olderThanMs: 0 })));
    expect(runs.flatMap((r) => outcomesFor(r, a.paymentId)).filter((o) => o === 'credited').length).toBeGreaterThan(0);
    expect((await paymentsOf(h, a.accountId))[0]).toMatchObject({ status: 'succeeded', paymentIntentId: charged!.id });
    const ledger = await ledgerOf(h, a.accountId);
    expect(ledger.map((t) => [t.type, t.amount, t.externalRef])).toEqual([['purchase', PACK_TOKENS, charged!.id]]);
    expect((await h.trpc(a.key).credits.summary.query({})).balance).toBe(PACK_TOKENS);

    // Later runs and the late webhook find nothing left to do.
    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), a.paymentId)).toEqual([]);
    const events = await h.deps.stripe.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    const late = events.data.find((e) => (e.data.object as { id: string }).id === charged!.id)!;
    expect((await deliver(h, JSON.stringify(late))).status).toBe(200);
    expect(await ledgerOf(h, a.accountId)).toHaveLength(1);
  });

  it('Stripe never received the charge: failed with nothing charged, and a later purchase is charged normally', async () => {
    const h = harness();
    const a = await cutMidPurchase(h, '500');
    expect(await chargesOf(h, a.customerId)).toEqual([]);

    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), a.paymentId)).toEqual(['abandoned']);
    expect((await paymentsOf(h, a.accountId))[0]).toMatchObject({
      status: 'failed',
      failureCode: 'PAYMENT_PROVIDER_UNAVAILABLE',
      paymentIntentId: null,
    });
    expect(await ledgerOf(h, a.accountId)).toEqual([]);
    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), a.paymentId)).toEqual([]);

    expect((await purchasePack(h, a.key)).status).toBe(200);
    expect(await chargesOf(h, a.customerId)).toHaveLength(1);
    expect((await ledgerOf(h, a.accountId)).map((t) => t.amount)).toEqual([PACK_TOKENS]);

    // A payment settled between a run's listing and its abandoning (the webhook got there first) stays settled.
    const [, bought] = (await paymentsOf(h, a.accountId)).sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
    expect(bought).toMatchObject({ status: 'succeeded' });
    const tx = (paymentId: string) => h.db.db.transaction((t) => abandonPayment(t, { paymentId, now: h.clock.now }));
    expect(await tx(bought!.id)).toBe(false);
    expect(await tx(a.paymentId)).toBe(false);
    expect((await paymentsOf(h, a.accountId)).map((p) => [p.id, p.status]).sort()).toEqual(
      [
        [a.paymentId, 'failed'],
        [bought!.id, 'succeeded'],
      ].sort(),
    );
  });

  it('Stripe declined the charge whose answer was lost: failed with the decline, nothing credited', async () => {
    const h = harness();
    const a = await cutMidPurchase(h, 'timeout', 'pm_card_chargeCustomerFail');
    const [declined] = await chargesOf(h, a.customerId);
    expect(declined).toMatchObject({ status: 'requires_payment_method', metadata: { creditPaymentId: a.paymentId } });

    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), a.paymentId)).toEqual(['failed']);
    expect((await paymentsOf(h, a.accountId))[0]).toMatchObject({
      status: 'failed',
      failureCode: 'CARD_DECLINED',
      paymentIntentId: declined!.id,
    });
    expect(await ledgerOf(h, a.accountId)).toEqual([]);
  });

  it('Stripe unreachable while reconciling: the payment stays pending until a run that reaches Stripe', async () => {
    const h = harness();
    const a = await cutMidPurchase(h, 'timeout');
    await h.emulator.control.failNext(stripeAttempts(h), '500', 0, '/v1/payment_intents');
    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), a.paymentId)).toEqual([
      'unreachable',
    ]);
    expect((await paymentsOf(h, a.accountId))[0]!.status).toBe('pending');
    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), a.paymentId)).toEqual(['credited']);
    expect((await ledgerOf(h, a.accountId)).map((t) => t.amount)).toEqual([PACK_TOKENS]);
  });

  it('an auto-recharge Stripe never received is failed without pausing auto-recharge, and the next one is charged', async () => {
    const h = harness();
    const a = await paidAccount(h);
    expect((await purchasePack(h, a.key)).status).toBe(200);
    let n = 0;
    const spend = (amount: number) =>
      h.fetch('/api/billing/credits/spend', {
        method: 'POST',
        key: a.key,
        body: { amount, description: 'Enrichment - reconcile', idempotencyKey: `reconcile-${n++}` },
      });
    expect((await spend(ALLOWANCE)).status).toBe(200);
    const settings = { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 5000 };
    const saved = await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body: settings });
    expect(saved.status).toBe(200);
    // The purchase's webhook reads its PaymentIntent again: delivered first, it cannot take the faults.
    await settled(h);
    await h.emulator.control.failNext(stripeAttempts(h), '500', 0, '/v1/payment_intents');
    expect((await spend(200_000)).status).toBe(200);
    const recharges = () =>
      h.db.db
        .select()
        .from(schema.creditPayments)
        .where(and(eq(schema.creditPayments.accountId, a.accountId), eq(schema.creditPayments.kind, 'auto_recharge')));
    const [lost] = await recharges();
    expect(lost).toMatchObject({ status: 'pending' });

    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), lost!.id)).toEqual(['abandoned']);
    expect((await recharges())[0]).toMatchObject({ status: 'failed', failureCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    // An outage is not the card's fault: auto-recharge is not paused, the next spend below the threshold recharges.
    expect((await h.trpc(a.key).credits.summary.query({})).lastRechargeFailure).toBeNull();
    expect((await spend(1)).status).toBe(200);
    expect((await recharges()).map((p) => p.status).sort()).toEqual(['failed', 'succeeded']);
    const credited = (await ledgerOf(h, a.accountId)).filter((t) => t.type === 'auto_recharge');
    expect(credited.map((t) => t.amount)).toEqual([PACK_TOKENS]);
  });

  it('a charge Stripe still works on (awaiting authentication) is left pending, and it is not charged again', async () => {
    const h = harness();
    const a = await paidAccount(h, { card: null });
    const paymentId = (await pendingPayments(h, a.accountId))[0]!;
    const waiting = await h.deps.stripe.paymentIntents.create({
      amount: 500,
      currency: 'eur',
      customer: a.customerId,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      metadata: { creditPaymentId: paymentId },
    });
    expect(waiting.status).toBe('requires_action');
    expect(outcomesFor(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }), paymentId)).toEqual(['in_progress']);
    expect((await paymentsOf(h, a.accountId))[0]).toMatchObject({ status: 'pending', paymentIntentId: null });
    expect(await chargesOf(h, a.customerId)).toHaveLength(1);
  });

  it('more pending payments than one page, of an account that never had a card: every one is failed, none skipped', async () => {
    const h = harness();
    const a = await h.account();
    // One page is 100.
    const ids = await pendingPayments(h, a.accountId, 120);
    const results = await reconcilePendingPayments(h.deps, { olderThanMs: 0 });
    expect(results.filter((r) => ids.includes(r.paymentId)).map((r) => r.outcome)).toEqual(ids.map(() => 'abandoned'));
    expect(new Set((await paymentsOf(h, a.accountId)).map((p) => p.status))).toEqual(new Set(['failed']));
  });
});
