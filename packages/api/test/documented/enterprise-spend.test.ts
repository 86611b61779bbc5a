import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { settled, subscribe } from '../billing-helpers';
import { type Harness, useHarness } from '../harness';
import { expectLedgerConsistent } from '../ledger';

// README and the contract: enterprise has an unlimited token allowance ("Unlimited is null everywhere in JSON"),
// and the plan's tokens are used before credits. So credits are never taken on enterprise, however much is spent.

interface Spent {
  transactionId: string;
  balance: number;
  fromAllowance: number;
  fromCredits: number;
}

const PACK_TOKENS = 1_000_000;

describe.each(testDatabaseKinds())('spending on an enterprise (unlimited) account over REST, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  let n = 0;
  const spend = (key: string, amount: number, idempotencyKey = `ent-${n++}`) =>
    h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: 'Enrichment - session sess_ent', idempotencyKey },
    });
  const summary = async (key: string) => {
    const res = await h.fetch('/api/billing/credits/summary', { key });
    expect(res.status).toBe(200);
    return res.body as {
      balance: number;
      allowance: { limit: number | null; used: number; remaining: number | null };
      autoRechargeSpent: number;
    };
  };

  /** An enterprise subscriber (10 seats, through Checkout) holding one bought pack of credits. */
  async function enterprise(withCredits: boolean) {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'enterprise', seats: 10 });
    const plan = await h.fetch('/api/billing/subscription', { key: a.key });
    expect(plan.body).toMatchObject({ plan: 'enterprise', status: 'active', seats: 10 });
    if (withCredits) {
      const bought = await h.fetch('/api/billing/credits/purchase', {
        method: 'POST',
        key: a.key,
        body: { packId: 'credits_1m' },
      });
      expect(bought.status, JSON.stringify(bought.body)).toBe(200);
      await settled(h);
    }
    return a;
  }

  it('every spend, of any size, comes from the allowance: the credits stay untouched and no recharge runs', async () => {
    const a = await enterprise(true);
    // A threshold above the balance: any spend from credits would start an auto-recharge.
    const settings = { enabled: true, threshold: 5_000_000, packId: 'credits_1m', spendingLimit: 5000 };
    expect(
      (await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body: settings })).status,
    ).toBe(200);

    const amounts = [1, 20_000_001, 1_000_000_000_000];
    for (const amount of amounts) {
      const res = await spend(a.key, amount);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ fromAllowance: amount, fromCredits: 0, balance: PACK_TOKENS });
    }
    const burst = await Promise.all(Array.from({ length: 20 }, () => spend(a.key, PACK_TOKENS)));
    for (const res of burst) expect(res.body).toMatchObject({ fromAllowance: PACK_TOKENS, fromCredits: 0 });
    await settled(h);

    const used = amounts.reduce((x, y) => x + y, 0) + 20 * PACK_TOKENS;
    expect(await summary(a.key)).toMatchObject({
      balance: PACK_TOKENS,
      allowance: { limit: null, used, remaining: null },
      autoRechargeSpent: 0,
    });
    const credits = (await h.fetch('/api/billing/credits?limit=100', { key: a.key })).body as {
      transactions: { type: string; amount: number }[];
    };
    // The history lists balance changes only: the 23 spends, all from the allowance, moved no credits.
    expect(credits.transactions.map((t) => t.type)).toEqual(['purchase']);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(PACK_TOKENS);
  });

  it('an enterprise account without credits is never refused for tokens; a replay counts once', async () => {
    const a = await enterprise(false);
    const first = await spend(a.key, 75_000_000, 'big');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ balance: 0, fromAllowance: 75_000_000, fromCredits: 0 });
    const replay = await spend(a.key, 75_000_000, 'big');
    expect(replay.body).toEqual(first.body);
    const viaTrpc: Spent = await h
      .trpc(a.key)
      .credits.spend.mutate({ amount: 5, description: 'Enrichment - session sess_ent', idempotencyKey: 'trpc' });
    expect(viaTrpc).toMatchObject({ balance: 0, fromAllowance: 5, fromCredits: 0 });
    expect((await summary(a.key)).allowance).toEqual({ limit: null, used: 75_000_005, remaining: null });
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(0);
  });
});
