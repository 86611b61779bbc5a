import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, subscribe } from './billing-helpers';
import { type Card, paidAccount, setCard } from './fire/accounts';
import { type Harness, startHarness } from './harness';
import { expectLedgerConsistent } from './ledger';
import { configureRecharge, PACK, PERSONAL_ALLOWANCE, spend, spent, subscriberWithPack } from './money/money-helpers';

// Billing policy: auto-recharge state you can see (active or paused, and why), a refused spend that says the
// recharge is paused, a new card that resumes it; no auto-recharge on the free plan; credits kept and spendable
// after a downgrade; a history of balance changes only.
describe.each(testDatabaseKinds())('policy: credits and auto-recharge on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  type Credits = {
    balance: number;
    autoRecharge: { enabled: boolean; status: string; pausedReason: string | null };
    transactions: { type: string; amount: number }[];
  };
  const credits = async (key: string) => (await h.fetch('/api/billing/credits', { key })).body as Credits;

  /** A subscriber below an enabled threshold whose card declines: its first recharge fails and pauses. */
  async function paused() {
    const a = await subscriberWithPack(h);
    await setCard(h, a.customerId, 'pm_card_chargeCustomerFail' as Card);
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    expect(await spent(h, a.key, 200_000)).toMatchObject({ fromCredits: 200_000, balance: 800_000 });
    await settled(h);
    return a;
  }

  it('shows a declined recharge as paused, says so in the refused spend, and resumes on a new default card', async () => {
    const a = await paused();
    const before = await credits(a.key);
    expect(before.autoRecharge).toMatchObject({ enabled: true, status: 'paused' });
    expect(before.autoRecharge.pausedReason).toMatch(/failed: Your card was declined.*another card/);
    const refused = await spend(h, a.key, 900_000);
    expect(refused.status).toBe(402);
    expect(refused.body).toEqual({
      error: expect.stringMatching(/^Insufficient credits.*Auto-recharge is paused: .*declined/),
      code: 'insufficient_credits',
    });

    // A customer change that leaves the failing card in place resumes nothing.
    await h.deps.stripe.customers.update(a.customerId, { name: 'Renamed' });
    await settled(h);
    expect((await credits(a.key)).autoRecharge.status).toBe('paused');

    await setCard(h, a.customerId, 'pm_card_visa');
    await settled(h);
    expect((await credits(a.key)).autoRecharge).toMatchObject({ status: 'active', pausedReason: null });
    // The shortfall recharge runs with the new card and covers the spend.
    expect(await spent(h, a.key, 900_000)).toMatchObject({ fromCredits: 900_000 });
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(800_000 + PACK.tokens - 900_000);
  });

  it('resumes on payment_method.attached once the new card is the one a charge would use', async () => {
    const a = await paused();
    const [failing] = (await h.deps.stripe.paymentMethods.list({ customer: a.customerId })).data;
    await h.deps.stripe.customers.update(a.customerId, { invoice_settings: { default_payment_method: '' } });
    await h.deps.stripe.paymentMethods.detach(failing!.id);
    await settled(h);
    expect((await credits(a.key)).autoRecharge.status).toBe('paused');
    await h.deps.stripe.paymentMethods.attach('pm_card_visa', { customer: a.customerId });
    await settled(h);
    expect((await credits(a.key)).autoRecharge.status).toBe('active');
  });

  it('resumes when the owner saves the settings again', async () => {
    const a = await paused();
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    expect((await credits(a.key)).autoRecharge.status).toBe('active');
  });

  it('cannot be enabled on the free plan (400 naming why); switched off it saves', async () => {
    const a = await h.account();
    const body = { enabled: true, threshold: 500_000, packId: 'credits_2_5m', spendingLimit: 5000 };
    const on = await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body });
    expect(on.status).toBe(400);
    expect(on.body).toEqual({
      error: expect.stringMatching(/free plan: it cannot buy credits/),
      code: 'validation_failed',
    });
    const off = await h.fetch('/api/billing/credits/auto-recharge', {
      method: 'PUT',
      key: a.key,
      body: { ...body, enabled: false },
    });
    expect(off.status).toBe(200);
    expect((await credits(a.key)).autoRecharge).toMatchObject({ enabled: false, status: 'active' });
  });

  it('keeps credits after a downgrade to free, spendable then and a year later; the recharge shows paused', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const bought = await h.fetch('/api/billing/credits/purchase', {
      method: 'POST',
      key: a.key,
      body: { packId: PACK.id },
    });
    expect(bought.status).toBe(200);
    await configureRecharge(h, a.key, { threshold: 100_000, spendingLimit: 5000 });
    const subscriptions = await h.deps.stripe.subscriptions.list({ limit: 100 });
    const sub = subscriptions.data.find((s) => s.metadata.accountId === a.accountId)!;
    await h.deps.stripe.subscriptions.cancel(sub.id);
    await settled(h);
    expect(((await h.fetch('/api/billing/subscription', { key: a.key })).body as { plan: string }).plan).toBe('free');

    const after = await credits(a.key);
    expect(after.balance).toBe(PACK.tokens);
    expect(after.autoRecharge).toMatchObject({ enabled: true, status: 'paused' });
    expect(after.autoRecharge.pausedReason).toMatch(/free plan has no credits to recharge/);
    // The free allowance first, then the credits bought on the paid plan.
    expect(await spent(h, a.key, 50_000 + 300_000)).toMatchObject({ fromAllowance: 50_000, fromCredits: 300_000 });
    const start = h.clock.now;
    h.clock.now = new Date(start.getTime() + 400 * 86_400_000);
    try {
      expect(await spent(h, a.key, 50_000 + 200_000)).toMatchObject({ fromCredits: 200_000, balance: 500_000 });
    } finally {
      h.clock.now = start;
    }
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(500_000);
  });

  it('lists balance changes only: a spend wholly from the allowance is in neither the transactions nor the chart', async () => {
    const a = await paidAccount(h);
    expect(await spent(h, a.key, PERSONAL_ALLOWANCE)).toMatchObject({ fromAllowance: PERSONAL_ALLOWANCE });
    const empty = await credits(a.key);
    expect(empty.transactions).toEqual([]);
    expect((await h.fetch('/api/billing/credits/history', { key: a.key })).body).toEqual({ points: [] });
    expect(
      (await h.fetch('/api/billing/credits/purchase', { method: 'POST', key: a.key, body: { packId: PACK.id } }))
        .status,
    ).toBe(200);
    expect(await spent(h, a.key, 1)).toMatchObject({ fromCredits: 1 });
    const listed = await credits(a.key);
    expect(listed.transactions.map((t) => [t.type, t.amount])).toEqual([
      ['usage', -1],
      ['purchase', PACK.tokens],
    ]);
    const history = (await h.fetch('/api/billing/credits/history', { key: a.key })).body as { points: unknown[] };
    expect(history.points).toHaveLength(2);
  });
});
