import { scaled, testDatabaseKinds } from '@contox/db/testing';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { settled, stripeAttempts } from '../billing-helpers';
import { chargesOf, ledgerOf, paidAccount, purchasePack } from './accounts';
import { useFireHarness } from './fire-suite';

const TOKENS = 1_000_000;

describe.each(testDatabaseKinds())('purchase answer racing the payment_intent.succeeded webhook, on %s', (kind) => {
  const harness = useFireHarness(kind);

  async function succeededEvent(paymentIntentId: string): Promise<Stripe.Event> {
    const events = await harness().deps.stripe.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    const event = events.data.find((e) => (e.data.object as { id: string }).id === paymentIntentId);
    if (!event) throw new Error(`no payment_intent.succeeded for ${paymentIntentId}`);
    return event;
  }

  /** The account's one charge at Stripe and its credits in our ledger: exactly one of each. */
  async function expectCreditedOnce(a: { accountId: string; customerId: string }) {
    const h = harness();
    await settled(h);
    const charges = (await chargesOf(h, a.customerId)).filter((pi) => pi.status === 'succeeded');
    expect(charges).toHaveLength(1);
    const credits = (await ledgerOf(h, a.accountId)).filter((t) => t.type === 'purchase');
    expect(credits.map((t) => [t.amount, t.externalRef])).toEqual([[TOKENS, charges[0]!.id]]);
    return { paymentIntentId: charges[0]!.id, transactionId: credits[0]!.id };
  }

  it('webhook first: delivered while the answer is held, the answer then arrives (SDK retry) and credits nothing more', async () => {
    const h = harness();
    const a = await paidAccount(h);
    // The charge is made and its webhook sent at once; the answer is held and the connection dropped, and the
    // SDK's retry under the same idempotency key gets the replayed answer.
    await h.emulator.control.failNext(1, 'timeout', scaled(1_000), '/v1/payment_intents');
    const res = await purchasePack(h, a.key);
    const answeredAt = Date.now();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { paymentIntentId, transactionId } = await expectCreditedOnce(a);
    expect(res.body).toEqual({ transactionId, balance: TOKENS, purchased: TOKENS });
    // The order the name claims: payment_intent.succeeded was delivered and accepted before the answer arrived.
    const event = await succeededEvent(paymentIntentId);
    const accepted = (await h.emulator.control.deliveries()).filter(
      (d) => d.eventId === event.id && d.status !== null && d.status < 300,
    );
    expect(accepted.length).toBeGreaterThan(0);
    expect(Math.min(...accepted.map((d) => d.at))).toBeLessThan(answeredAt);
  });

  it('answer first, then the webhook twice and five redeliveries at once: credited once', async () => {
    const h = harness();
    const a = await paidAccount(h);
    await h.emulator.control.delayNext(10, scaled(500));
    await h.emulator.control.duplicateNext(10);
    const res = await purchasePack(h, a.key);
    const answeredAt = Date.now();
    expect(res.status).toBe(200);
    const { paymentIntentId, transactionId } = await expectCreditedOnce(a);
    const event = await succeededEvent(paymentIntentId);
    const deliveries = (await h.emulator.control.deliveries()).filter((d) => d.eventId === event.id);
    expect(deliveries).toHaveLength(2);
    expect(Math.min(...deliveries.map((d) => d.at))).toBeGreaterThan(answeredAt);
    await Promise.all(Array.from({ length: 5 }, () => h.emulator.control.redeliver(event.id)));
    await expectCreditedOnce(a);
    expect((res.body as { transactionId: string }).transactionId).toBe(transactionId);
  });

  it('events reordered around the answer: credited once', async () => {
    const h = harness();
    const a = await paidAccount(h);
    // created, charge.succeeded and payment_intent.succeeded are held and released newest first.
    await h.emulator.control.reorderNext(3);
    expect((await purchasePack(h, a.key)).status).toBe(200);
    await expectCreditedOnce(a);
  });

  it('answer lost for good: 503, the webhook credits it, and the retry with the same key answers that same credit', async () => {
    const h = harness();
    const a = await paidAccount(h);
    // Every attempt the SDK makes times out after Stripe did the work.
    await h.emulator.control.failNext(stripeAttempts(h), 'timeout', 100, '/v1/payment_intents');
    const lost = await purchasePack(h, a.key, 'lost-answer');
    expect(lost.status).toBe(503);
    expect(lost.body).toEqual({ error: expect.stringMatching(/Stripe/), code: 'stripe_unavailable' });
    const { transactionId } = await expectCreditedOnce(a);
    const retry = await purchasePack(h, a.key, 'lost-answer');
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ transactionId, balance: TOKENS, purchased: TOKENS });
    await expectCreditedOnce(a);
  });

  it('answer lost and the webhook dropped: nothing credited until Stripe redelivers, then once', async () => {
    const h = harness();
    const a = await paidAccount(h);
    await h.emulator.control.dropNext(10);
    // Every attempt the SDK makes times out after Stripe did the work.
    await h.emulator.control.failNext(stripeAttempts(h), 'timeout', 100, '/v1/payment_intents');
    expect((await purchasePack(h, a.key)).status).toBe(503);
    await settled(h);
    expect((await ledgerOf(h, a.accountId)).filter((t) => t.type === 'purchase')).toEqual([]);
    const [charge] = await chargesOf(h, a.customerId);
    expect(charge?.status).toBe('succeeded');
    const event = await succeededEvent(charge!.id);
    await Promise.all([h.emulator.control.redeliver(event.id), h.emulator.control.redeliver(event.id)]);
    await expectCreditedOnce(a);
  });
});
