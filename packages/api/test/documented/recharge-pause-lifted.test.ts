import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliver, settled } from '../billing-helpers';
import { chargesOf, paidAccount, setCard } from '../fire/accounts';
import { type Harness, useHarness } from '../harness';
import { expectLedgerConsistent } from '../ledger';

// A failed auto-recharge pauses auto-recharge until the owner saves the settings again, and
// (src/credits/settle-payment.ts) "a recharge that failed at first and was paid in the end (e.g. after
// authentication) lifts its pause". Stripe reports that late payment with `payment_intent.succeeded`.

const ALLOWANCE = 1_000_000;
const PACK = 1_000_000;
const SETTINGS = { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 5000 };

describe.each(testDatabaseKinds())('a paused auto-recharge whose failed payment is paid later, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  let n = 0;
  const spend = async (key: string, amount: number) => {
    const res = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: 'Enrichment - session sess_pause', idempotencyKey: `pause-${n++}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { balance: number };
  };
  const summary = async (key: string) =>
    (await h.fetch('/api/billing/credits/summary', { key })).body as {
      balance: number;
      autoRechargeSpent: number;
      lastRechargeFailure: { message: string } | null;
    };
  const recharges = (accountId: string) =>
    h.db.db
      .select({ status: schema.creditPayments.status })
      .from(schema.creditPayments)
      .where(and(eq(schema.creditPayments.accountId, accountId), eq(schema.creditPayments.kind, 'auto_recharge')))
      .orderBy(schema.creditPayments.createdAt);

  /** A personal subscriber whose recharge failed for want of authentication: auto-recharge is paused. */
  async function paused() {
    const a = await paidAccount(h, { plan: 'personal' });
    const bought = await h.fetch('/api/billing/credits/purchase', {
      method: 'POST',
      key: a.key,
      body: { packId: 'credits_1m' },
    });
    expect(bought.status).toBe(200);
    expect(await spend(a.key, ALLOWANCE)).toMatchObject({ balance: PACK });
    await setCard(h, a.customerId, 'pm_card_authenticationRequired');
    const saved = await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body: SETTINGS });
    expect(saved.status).toBe(200);
    expect(await spend(a.key, 200_000)).toMatchObject({ balance: 800_000 });
    expect(await recharges(a.accountId)).toEqual([{ status: 'failed' }]);
    expect((await summary(a.key)).lastRechargeFailure?.message).toMatch(/authentication/);
    const [failed] = (await chargesOf(h, a.customerId)).filter((pi) => pi.status !== 'succeeded');
    expect(failed).toMatchObject({ amount: 500, metadata: { creditPaymentId: expect.any(String) } });
    return { ...a, failed: failed! };
  }

  it('paid later: credited once, the failure cleared, and the next fall below the threshold recharges again', async () => {
    const a = await paused();
    await setCard(h, a.customerId, 'pm_card_visa');
    // While paused, a purchase of the owner's own does not lift the pause, and falling below buys nothing.
    expect(
      (await h.fetch('/api/billing/credits/purchase', { method: 'POST', key: a.key, body: { packId: 'credits_1m' } }))
        .status,
    ).toBe(200);
    expect(await spend(a.key, PACK)).toMatchObject({ balance: 800_000 });
    expect(await recharges(a.accountId)).toEqual([{ status: 'failed' }]);
    expect((await summary(a.key)).lastRechargeFailure).not.toBeNull();

    // The customer authenticates the declined PaymentIntent; Stripe reports it paid.
    const event = JSON.stringify({
      id: `evt_paid_late_${a.accountId}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...a.failed, status: 'succeeded', last_payment_error: null } },
    });
    const delivered = await deliver(h, event);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    // Delivered twice, as Stripe may: one credit.
    expect((await deliver(h, event)).status).toBe(200);

    expect(await recharges(a.accountId)).toEqual([{ status: 'succeeded' }]);
    expect(await summary(a.key)).toMatchObject({
      balance: 800_000 + PACK,
      autoRechargeSpent: 500,
      lastRechargeFailure: null,
    });

    expect(await spend(a.key, PACK)).toMatchObject({ balance: 800_000 });
    await settled(h);
    expect(await recharges(a.accountId)).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    expect(await summary(a.key)).toMatchObject({ balance: 800_000 + PACK, autoRechargeSpent: 1000 });
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(800_000 + PACK);
  });
});
