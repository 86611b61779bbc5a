import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { grantCredits } from '../ledger';
import { chargesOf, ledgerOf, paidAccount, setCard } from './accounts';
import { useFireHarness } from './fire-suite';

const ALLOWANCE = 1_000_000;
const SETTINGS = { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 5000 };

describe.each(testDatabaseKinds())('auto-recharge with a card that cannot be charged, on %s', (kind) => {
  const harness = useFireHarness(kind);
  let n = 0;
  const spend = (key: string, amount: number) =>
    harness().fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: 'Enrichment - session sess_fire', idempotencyKey: `card-${n++}` },
    });
  const summary = (key: string) => harness().trpc(key).credits.summary.query({});
  const rechargeAttempts = async (accountId: string) =>
    (
      await harness()
        .db.db.select()
        .from(schema.creditPayments)
        .where(and(eq(schema.creditPayments.accountId, accountId), eq(schema.creditPayments.kind, 'auto_recharge')))
    ).map((p) => ({ status: p.status, failureCode: p.failureCode }));

  /** A personal subscriber with 1,000,000 credits bought and the month's allowance used up. */
  async function drained(card: 'pm_card_authenticationRequired' | null) {
    const h = harness();
    const a = await paidAccount(h, { plan: 'personal' });
    const bought = await h.fetch('/api/billing/credits/purchase', {
      method: 'POST',
      key: a.key,
      body: { packId: 'credits_1m' },
    });
    expect(bought.status).toBe(200);
    expect((await spend(a.key, ALLOWANCE)).body).toMatchObject({ fromAllowance: ALLOWANCE, fromCredits: 0 });
    await setCard(h, a.customerId, card);
    expect(
      (await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body: SETTINGS })).status,
    ).toBe(200);
    return a;
  }

  it('a card that needs authentication: one attempt, no credits, the failure shown, no retry on later spends', async () => {
    const h = harness();
    const a = await drained('pm_card_authenticationRequired');
    const paidBefore = (await chargesOf(h, a.customerId)).length;

    expect((await spend(a.key, 200_000)).body).toMatchObject({ balance: 800_000, fromCredits: 200_000 });
    for (let i = 0; i < 3; i++) expect((await spend(a.key, 100_000)).status).toBe(200);
    // Only an auto-recharge could cover this one, and auto-recharge is paused: refused, not retried.
    expect((await spend(a.key, 600_000)).status).toBe(402);

    const attempts = await chargesOf(h, a.customerId);
    expect(attempts.length - paidBefore).toBe(1);
    expect(attempts[0]).toMatchObject({ amount: 500, status: 'requires_payment_method' });
    expect(await rechargeAttempts(a.accountId)).toEqual([{ status: 'failed', failureCode: 'AUTHENTICATION_REQUIRED' }]);
    const s = await summary(a.key);
    expect(s.balance).toBe(500_000);
    expect(s.autoRechargeSpent).toBe(0);
    expect(s.lastRechargeFailure?.message).toMatch(/requires authentication/);
    expect((await ledgerOf(h, a.accountId)).filter((t) => t.type === 'auto_recharge')).toEqual([]);
  });

  it('no saved card: nothing charged, no credits, "add a card" shown, no retry on later spends', async () => {
    const h = harness();
    const a = await paidAccount(h, { plan: 'personal', card: null });
    await grantCredits(h.db.db, a.accountId, 1_000_000);
    expect((await spend(a.key, ALLOWANCE)).status).toBe(200);
    expect(
      (await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body: SETTINGS })).status,
    ).toBe(200);

    for (let i = 0; i < 5; i++) expect((await spend(a.key, 100_000)).status).toBe(200);
    expect((await spend(a.key, 600_000)).status).toBe(402);

    expect(await chargesOf(h, a.customerId)).toEqual([]);
    expect(await rechargeAttempts(a.accountId)).toEqual([{ status: 'failed', failureCode: 'NO_PAYMENT_METHOD' }]);
    const s = await summary(a.key);
    expect(s).toMatchObject({ balance: 500_000, autoRechargeSpent: 0, hasPaymentMethod: false });
    expect(s.lastRechargeFailure?.message).toMatch(/No saved card/);
    expect(new Set((await ledgerOf(h, a.accountId)).map((t) => t.type))).toEqual(new Set(['grant', 'usage']));
  });
});
