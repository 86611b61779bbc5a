import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliver, settled } from '../billing-helpers';
import { chargesOf, ledgerOf, purchasePack, setCard } from '../fire/accounts';
import { type Harness, useHarness } from '../harness';
import { expectLedgerConsistent } from '../ledger';
import { configureRecharge, PACK, rechargePayments, spent, subscriberWithPack, summary } from './money-helpers';

// Settling a credit payment (src/services/credits/settle-payment.ts): what the ledger row says, which failures
// pause auto-recharge, and that a PaymentIntent naming a payment we never made credits nothing.

describe.each(testDatabaseKinds())('settling credit payments, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  it('a bought pack is a purchase row without description; a recharge says which pack it bought', async () => {
    const a = await subscriberWithPack(h);
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    await spent(h, a.key, 200_000);
    const credits = (await ledgerOf(h, a.accountId)).filter((t) => t.amount > 0);
    expect(credits.map((t) => [t.type, t.amount, t.price, t.description])).toEqual([
      ['purchase', PACK.tokens, PACK.price, null],
      ['auto_recharge', PACK.tokens, PACK.price, `Auto-recharge - ${PACK.id}`],
    ]);
  });

  it('a failure event arriving after the recharge was paid leaves it paid, credited once, and not paused', async () => {
    const a = await subscriberWithPack(h);
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    await spent(h, a.key, 200_000);
    await settled(h);
    const [payment] = await rechargePayments(h, a.accountId);
    expect(payment).toMatchObject({ status: 'succeeded' });
    const intent = await h.deps.stripe.paymentIntents.retrieve(payment!.paymentIntentId!);
    // A delivery of an earlier declined attempt, or a replay, that reaches us after the success.
    const late = {
      id: `evt_late_failure_${payment!.id}`,
      object: 'event',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'payment_intent.payment_failed',
      data: {
        object: {
          ...intent,
          status: 'requires_payment_method',
          last_payment_error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
        },
      },
    };
    expect((await deliver(h, JSON.stringify(late))).status).toBe(200);
    expect(await rechargePayments(h, a.accountId)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    expect((await ledgerOf(h, a.accountId)).filter((t) => t.type === 'auto_recharge')).toHaveLength(1);
    expect((await summary(h, a.key)).lastRechargeFailure).toBeNull();
    // Not paused: the next fall below the threshold recharges again.
    await spent(h, a.key, 1_000_000);
    expect((await rechargePayments(h, a.accountId)).map((p) => p.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('a declined purchase is no reason to pause auto-recharge', async () => {
    const a = await subscriberWithPack(h);
    await configureRecharge(h, a.key, { threshold: 500_000, spendingLimit: 5000 });
    await setCard(h, a.customerId, 'pm_card_authenticationRequired');
    const declined = await purchasePack(h, a.key);
    expect(declined.status).toBe(402);
    await settled(h);
    expect((await summary(h, a.key)).lastRechargeFailure).toBeNull();

    await setCard(h, a.customerId, 'pm_card_visa');
    expect(await spent(h, a.key, 600_000)).toMatchObject({ balance: 400_000 });
    expect((await rechargePayments(h, a.accountId)).map((p) => p.status)).toEqual(['succeeded']);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(400_000 + PACK.tokens);
  });

  it('a PaymentIntent naming a payment we never made is acknowledged and credits nothing', async () => {
    const a = await subscriberWithPack(h);
    const stripe = h.deps.stripe;
    const [card] = (await stripe.paymentMethods.list({ customer: a.customerId, type: 'card' })).data;
    const before = await ledgerOf(h, a.accountId);
    const declining = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: a.customerId });
    for (const pm of [card!.id, declining.id]) {
      await stripe.paymentIntents
        .create({
          amount: PACK.price,
          currency: 'eur',
          customer: a.customerId,
          payment_method: pm,
          off_session: true,
          confirm: true,
          metadata: { creditPaymentId: 'pay_NeverMadeByContox00', accountId: a.accountId, packId: PACK.id },
        })
        .catch(() => null); // the declined one throws; its failure event is what matters here
    }
    await settled(h);
    const strangers = (await chargesOf(h, a.customerId)).filter(
      (pi) => pi.metadata.creditPaymentId === 'pay_NeverMadeByContox00',
    );
    expect(strangers.map((pi) => pi.status).sort()).toEqual(['requires_payment_method', 'succeeded']);
    const ids = new Set(strangers.map((pi) => pi.id));
    const events = (await stripe.events.list({ limit: 100 })).data.filter((e) =>
      ids.has((e.data.object as { id: string }).id),
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['payment_intent.succeeded', 'payment_intent.payment_failed']),
    );
    const eventIds = new Set(events.map((e) => e.id));
    const deliveries = (await h.emulator.control.deliveries()).filter((d) => eventIds.has(d.eventId));
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.status === 200 && d.attempt === 1)).toBe(true);
    expect(await ledgerOf(h, a.accountId)).toEqual(before);
    expect(await summary(h, a.key)).toMatchObject({ balance: PACK.tokens, lastRechargeFailure: null });
  });
});
