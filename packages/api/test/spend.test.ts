import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerOf } from './fire/accounts';
import { type Harness, startHarness } from './harness';
import { expectLedgerConsistent, grantCredits } from './ledger';

const FREE_ALLOWANCE = 50_000;

describe.each(testDatabaseKinds())('POST /api/billing/credits/spend on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  const spend = (key: string, amount: unknown, idempotencyKey: string, description = 'Enrichment - session sess_xyz') =>
    h.fetch('/api/billing/credits/spend', { method: 'POST', key, body: { amount, description, idempotencyKey } });

  it('uses the plan allowance first, then credits, and records a usage transaction', async () => {
    const a = await h.account();
    await grantCredits(h.db.db, a.accountId, 100_000);
    const first = await spend(a.key, 30_000, 'k1');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      transactionId: expect.stringMatching(/^txn_/),
      balance: 100_000,
      fromAllowance: 30_000,
      fromCredits: 0,
    });
    const second = await spend(a.key, 30_000, 'k2');
    expect(second.body).toMatchObject({ balance: 90_000, fromAllowance: FREE_ALLOWANCE - 30_000, fromCredits: 10_000 });
    const credits = (await h.fetch('/api/billing/credits', { key: a.key })).body as {
      transactions: { type: string; amount: number; description?: string }[];
    };
    expect(credits.transactions[0]).toMatchObject({
      type: 'usage',
      amount: -10_000,
      description: 'Enrichment - session sess_xyz',
    });
    await expectLedgerConsistent(h.db.db, a.accountId);
  });

  it('refuses with 402 and spends nothing when allowance and credits cannot cover it', async () => {
    const a = await h.account();
    await grantCredits(h.db.db, a.accountId, 5);
    const res = await spend(a.key, FREE_ALLOWANCE + 6, 'too-much');
    expect(res.status).toBe(402);
    expect(res.body).toEqual({ error: expect.stringContaining('Insufficient credits'), code: 'insufficient_credits' });
    const ok = await spend(a.key, FREE_ALLOWANCE + 5, 'exact');
    expect(ok.body).toMatchObject({ balance: 0, fromAllowance: FREE_ALLOWANCE, fromCredits: 5 });
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(0);
  });

  it('returns the first answer for a repeated idempotency key and 409 for a different body', async () => {
    const a = await h.account();
    const first = await spend(a.key, 100, 'same');
    const again = await spend(a.key, 100, 'same');
    expect(again.body).toEqual(first.body);
    const other = await spend(a.key, 101, 'same');
    expect(other.status).toBe(409);
    // Wholly from the allowance, so not in the history (balance changes only): the ledger holds it once.
    expect(await ledgerOf(h, a.accountId)).toHaveLength(1);
  });

  it('lets exactly as many concurrent spends through as the balance covers', async () => {
    const a = await h.account();
    await spend(a.key, FREE_ALLOWANCE, 'drain-allowance');
    await grantCredits(h.db.db, a.accountId, 10);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => spend(a.key, 1, `race-${i}`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 402)).toHaveLength(40);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(0);
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: -5 }, 'amount'],
    [{ amount: 1.5 }, 'amount'],
    [{ amount: '10' }, 'amount'],
    [{ idempotencyKey: '' }, 'idempotencyKey'],
  ])('rejects %j with 400 naming %s', async (patch, field) => {
    const a = await h.account();
    const res = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key: a.key,
      body: { amount: 10, description: 'x', idempotencyKey: 'k', ...patch },
    });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toContain(field);
  });
});
