import { testDatabaseKinds } from '@contox/db/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger';
import { runAutoRecharge } from '../../src/services/credits/auto-recharge-run';
import { chargesOf, setCard } from '../fire/accounts';
import { type Harness, useHarness } from '../harness';
import { expectLedgerConsistent } from '../ledger';
import { configureRecharge, PACK, rechargePayments, spend, spent, subscriberWithPack, summary } from './money-helpers';

// The rules an auto-recharge run applies when a spend asks for one (src/services/credits/auto-recharge-run.ts).
// Some runs are called directly: a run can start after the spend that asked for it was decided (another
// recharge landed, a pause was written), and these tests put it in exactly that state.

interface Warning {
  msg: string;
  extra: Record<string, unknown> | undefined;
}

describe.each(testDatabaseKinds())('auto-recharge rules, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  let warnings: Warning[];
  let original: Logger;
  beforeAll(() => {
    h = harness();
  });
  // A failed recharge is never thrown at the spender; the service's warning is where it shows.
  beforeEach(() => {
    warnings = [];
    original = h.deps.log;
    h.deps.log = { ...original, warn: (msg, extra) => warnings.push({ msg, extra }) };
  });
  afterEach(() => {
    h.deps.log = original;
  });

  /** PaymentIntents charged for the account's auto-recharges (the pack bought at the start is not one). */
  const rechargeCharges = async (a: { accountId: string; customerId: string }) => {
    const ids = new Set((await rechargePayments(h, a.accountId)).map((p) => p.id));
    return (await chargesOf(h, a.customerId)).filter((pi) => ids.has(pi.metadata.creditPaymentId ?? ''));
  };

  it('a declined recharge is logged, pauses, and does not use up the spending limit', async () => {
    const a = await subscriberWithPack(h);
    await setCard(h, a.customerId, 'pm_card_authenticationRequired');
    // Room for exactly one pack this period.
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: PACK.price });
    expect(await spent(h, a.key, 200_000)).toMatchObject({ balance: 800_000 });
    const [failed] = await rechargePayments(h, a.accountId);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(warnings).toEqual([
      {
        msg: 'auto-recharge failed',
        extra: { accountId: a.accountId, paymentId: failed!.id, error: expect.stringMatching(/authentication/i) },
      },
    ]);
    expect(await summary(h, a.key)).toMatchObject({
      autoRechargeSpent: 0,
      lastRechargeFailure: { message: expect.stringMatching(/authentication/i) },
    });

    // A working card and the settings saved again: the failed charge took none of the limit.
    await setCard(h, a.customerId, 'pm_card_visa');
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: PACK.price });
    expect(await spent(h, a.key, 1)).toMatchObject({ balance: 799_999 });
    expect((await rechargePayments(h, a.accountId)).map((p) => p.status)).toEqual(['failed', 'succeeded']);
    expect(await summary(h, a.key)).toMatchObject({ autoRechargeSpent: PACK.price, lastRechargeFailure: null });
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(800_000 - 1 + PACK.tokens);
  });

  it('at the spending limit, a spend below the threshold is answered and charges nothing more', async () => {
    const a = await subscriberWithPack(h);
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: PACK.price });
    await spent(h, a.key, 200_000);
    expect(await rechargeCharges(a)).toHaveLength(1);
    const charges = (await chargesOf(h, a.customerId)).length;
    // 1,800,000 left; two spends take it below the threshold again, with the period's limit spent.
    expect(await spent(h, a.key, 1_000_000)).toMatchObject({ balance: 800_000 });
    expect(await spent(h, a.key, 1)).toMatchObject({ balance: 799_999 });
    expect((await chargesOf(h, a.customerId)).length).toBe(charges);
    expect(await rechargePayments(h, a.accountId)).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('charges a recharge under a payment of its own, named in the PaymentIntent', async () => {
    const a = await subscriberWithPack(h);
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    await spent(h, a.key, 200_000);
    const [payment] = await rechargePayments(h, a.accountId);
    expect(payment!.id).toMatch(/^pay_[0-9A-Za-z]{20}$/);
    expect((await rechargeCharges(a)).map((pi) => [pi.metadata.creditPaymentId, pi.amount])).toEqual([
      [payment!.id, PACK.price],
    ]);
  });

  it('a spend that only a recharge covers is covered whatever the threshold', async () => {
    const a = await subscriberWithPack(h);
    // Threshold 0: the balance is never below it, yet a spend short of credits may still charge first.
    await configureRecharge(h, a.key, { threshold: 0, packId: 'credits_2_5m', spendingLimit: 5000 });
    expect(await spent(h, a.key, 2_000_000)).toMatchObject({ fromCredits: 2_000_000, balance: 1_500_000 });
    expect((await rechargePayments(h, a.accountId)).map((p) => [p.packId, p.status])).toEqual([
      ['credits_2_5m', 'succeeded'],
    ]);
  });

  it('a threshold run that finds the balance back above the threshold charges nothing; a shortfall run does', async () => {
    const a = await subscriberWithPack(h);
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    const charges = (await chargesOf(h, a.customerId)).length;
    expect(await runAutoRecharge(h.deps, a.accountId, 'threshold')).toBeNull();
    expect((await chargesOf(h, a.customerId)).length).toBe(charges);
    expect(await rechargePayments(h, a.accountId)).toEqual([]);
    expect(await runAutoRecharge(h.deps, a.accountId, 'shortfall')).toMatchObject({
      tokens: PACK.tokens,
      balance: 2 * PACK.tokens,
    });
    expect(await rechargeCharges(a)).toHaveLength(1);
  });

  it('a run that starts after a declined recharge paused auto-recharge charges nothing', async () => {
    const a = await subscriberWithPack(h);
    await setCard(h, a.customerId, 'pm_card_authenticationRequired');
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    await spent(h, a.key, 200_000);
    expect((await rechargePayments(h, a.accountId)).map((p) => p.status)).toEqual(['failed']);
    // The card that failed stays (a new card would lift the pause, see policy-credits-recharge.test.ts): a run
    // must not even try it again.
    const charges = (await chargesOf(h, a.customerId)).length;

    for (const mode of ['threshold', 'shortfall'] as const) {
      expect(await runAutoRecharge(h.deps, a.accountId, mode)).toBeNull();
    }
    expect((await spend(h, a.key, 1)).status).toBe(200);
    expect((await chargesOf(h, a.customerId)).length).toBe(charges);
    expect((await rechargePayments(h, a.accountId)).map((p) => p.status)).toEqual(['failed']);
  });
});
