import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKey, settled, subscribe } from './billing-helpers';
import { type Harness, startHarness } from './harness';
import { expectLedgerConsistent } from './ledger';

const PERSONAL_ALLOWANCE = 1_000_000;

describe.each(testDatabaseKinds())('auto-recharge on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    // The service on the emulator's clock: a new period comes with Stripe's renewal (README, Billing policy).
    h = await startHarness(kind, { linkedClock: true });
  });
  afterAll(() => h.close());

  let n = 0;
  const spend = (key: string, amount: number) =>
    h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: 'Enrichment - session sess_xyz', idempotencyKey: `s${n++}` },
    });
  const configure = (key: string, body: unknown) =>
    h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key, body });
  const recharges = async (key: string) =>
    (
      (await h.fetch('/api/billing/credits?limit=100', { key })).body as {
        transactions: { type: string; price?: number }[];
      }
    ).transactions.filter((t) => t.type === 'auto_recharge');

  /** A personal subscriber with its monthly allowance used up, so spends come from credits. */
  async function subscriber(balance: number) {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    if (balance > 0) {
      const bought = await h.fetch('/api/billing/credits/purchase', {
        method: 'POST',
        key: a.key,
        body: { packId: 'credits_1m' },
      });
      expect(bought.status).toBe(200);
    }
    expect((await spend(a.key, PERSONAL_ALLOWANCE)).body).toMatchObject({ fromAllowance: PERSONAL_ALLOWANCE });
    return a;
  }

  it('saves valid settings and refuses invalid ones with a message naming the field', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const ok = await configure(a.key, {
      enabled: true,
      threshold: 200_000,
      packId: 'credits_7m',
      spendingLimit: 10_000,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ enabled: true, threshold: 200_000, packId: 'credits_7m', spendingLimit: 10_000 });
    expect(
      ((await h.fetch('/api/billing/credits', { key: a.key })).body as { autoRecharge: unknown }).autoRecharge,
    ).toEqual({ ...(ok.body as object), status: 'active', pausedReason: null });
    const bad: [unknown, RegExp][] = [
      [{ enabled: true, threshold: -1, packId: 'credits_1m', spendingLimit: 5000 }, /threshold/],
      [{ enabled: true, threshold: 1, packId: 'credits_99m', spendingLimit: 5000 }, /pack/i],
      [{ enabled: true, threshold: 1, packId: 'credits_15m', spendingLimit: 4999 }, /spendingLimit/],
      [{ enabled: 'yes', threshold: 1, packId: 'credits_1m', spendingLimit: 5000 }, /enabled/],
      [{ enabled: true, threshold: 0.5, packId: 'credits_1m', spendingLimit: 5000 }, /threshold/],
    ];
    for (const [body, field] of bad) {
      const res = await configure(a.key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body as { error: string }).error).toMatch(field);
    }
    expect((await configure(await memberKey(h, a.accountId, 'admin'), ok.body)).status).toBe(403);
  });

  it('buys the configured pack once the balance falls below the threshold', async () => {
    const a = await subscriber(1_000_000);
    await configure(a.key, { enabled: true, threshold: 500_000, packId: 'credits_1m', spendingLimit: 5000 });
    expect((await spend(a.key, 400_000)).body).toMatchObject({ balance: 600_000 });
    expect(await recharges(a.key)).toHaveLength(0);
    expect((await spend(a.key, 200_000)).body).toMatchObject({ balance: 400_000, fromCredits: 200_000 });
    const fired = await recharges(a.key);
    expect(fired).toEqual([expect.objectContaining({ type: 'auto_recharge', price: 500 })]);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(1_400_000);
  });

  it('charges exactly once when 20 concurrent spends cross the threshold', async () => {
    const a = await subscriber(1_000_000);
    await configure(a.key, { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 5000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => spend(a.key, 10_000)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await settled(h);
    expect(await recharges(a.key)).toHaveLength(1);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(1_000_000 - 200_000 + 1_000_000);
  });

  it('covers a spend that only fits after a recharge by charging first', async () => {
    const a = await subscriber(0);
    await configure(a.key, { enabled: true, threshold: 100, packId: 'credits_2_5m', spendingLimit: 5000 });
    const res = await spend(a.key, 2_000_000);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ balance: 500_000, fromCredits: 2_000_000 });
    expect(await recharges(a.key)).toHaveLength(1);
  });

  it('refuses a spend that even one recharge would not cover, without charging the card', async () => {
    const a = await subscriber(0);
    await configure(a.key, { enabled: true, threshold: 100, packId: 'credits_2_5m', spendingLimit: 5000 });
    const res = await spend(a.key, 3_000_000);
    expect(res.status).toBe(402);
    expect(res.body).toEqual({
      error: expect.stringMatching(/insufficient|not enough/i),
      code: 'insufficient_credits',
    });
    expect(await recharges(a.key)).toHaveLength(0);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(0);
  });

  it('stops at the spending limit within a period and starts again in the next one', async () => {
    const a = await subscriber(0);
    await configure(a.key, { enabled: true, threshold: 1_000_000, packId: 'credits_1m', spendingLimit: 1000 });
    for (let i = 0; i < 4; i++) await spend(a.key, 600_000);
    expect(await recharges(a.key)).toHaveLength(2);
    const summary = await h.trpc(a.key).credits.summary.query({});
    expect(summary.autoRechargeSpent).toBe(1000);
    const refused = await spend(a.key, 2_000_000);
    expect(refused.status).toBe(402);

    // The renewal, paid: a new period, a fresh allowance first, then credits below the threshold again.
    const moved = await h.fetch('/api/dev/clock/advance', {
      method: 'POST',
      key: a.key,
      body: { seconds: 32 * 86_400 },
    });
    expect(moved.status).toBe(200);
    await settled(h);
    expect((await spend(a.key, PERSONAL_ALLOWANCE + 100_000)).body).toMatchObject({ fromCredits: 100_000 });
    expect(await recharges(a.key)).toHaveLength(3);
    await expectLedgerConsistent(h.db.db, a.accountId);
  });

  it('records a declined recharge, never loops on it, and tries again once the owner saves the settings', async () => {
    const a = await subscriber(1_000_000);
    const customers = await h.deps.stripe.customers.list({ limit: 100 });
    const customer = customers.data.find((c) => c.metadata.accountId === a.accountId)!;
    const pm = await h.deps.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await h.deps.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const settings = { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 5000 };
    await configure(a.key, settings);
    const charges = async () =>
      (await h.deps.stripe.paymentIntents.list({ customer: customer.id, limit: 100 })).data.filter(
        (pi) => pi.metadata.creditPaymentId && pi.description?.includes('credits_1m') && pi.amount === 500,
      ).length;
    const before = await charges();

    expect((await spend(a.key, 200_000)).status).toBe(200);
    expect((await spend(a.key, 100_000)).status).toBe(200);
    expect((await spend(a.key, 100_000)).status).toBe(200);
    expect(await recharges(a.key)).toHaveLength(0);
    const summary = await h.trpc(a.key).credits.summary.query({});
    expect(summary.lastRechargeFailure?.message).toMatch(/declined/i);
    expect(await charges()).toBe(before + 1);

    await configure(a.key, settings);
    await spend(a.key, 1);
    expect(await charges()).toBe(before + 2);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(600_000 - 1);
  });
});
