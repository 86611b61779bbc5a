import { type Database, queryRows, schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTime } from '../src/time';
import { settled } from './billing-helpers';
import { ledgerOf, paidAccount } from './fire/accounts';
import { type Harness, startHarness } from './harness';
import { grantCredits } from './ledger';

type Point = { at: string; balance: number };

const DAY = 86_400_000;
// The service's MAX_POINTS (src/services/credits/balance-history.ts).
const MAX_POINTS = 500;

/**
 * `n` grants of one token in one statement, written as the service writes the ledger: the balance row locked,
 * each row's balance_after the running sum, the balance row moved by the same total in the same transaction.
 */
async function appendGrants(db: Database, accountId: string, n: number, from: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ balance: string | number }>(
      tx,
      sql`select balance from credit_balances where account_id = ${accountId} for update`,
    );
    const balance = Number(row!.balance);
    await tx.execute(sql`
      insert into credit_transactions (id, account_id, type, amount, description, balance_after, created_at)
      select ${`txn_bulk_${accountId}_`} || (${balance} + i), ${accountId}, 'grant', 1, 'bulk grant', ${balance} + i,
             ${from.toISOString()}::timestamptz + i * interval '1 second'
        from generate_series(1, ${n}) as i order by i`);
    await tx
      .update(schema.creditBalances)
      .set({ balance: balance + n })
      .where(eq(schema.creditBalances.accountId, accountId));
    return balance + n;
  });
}

describe.each(testDatabaseKinds())('GET /api/billing/credits/history on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  /** The history over REST and over tRPC, which must agree. */
  async function history(key: string, days?: number): Promise<Point[]> {
    const rest = await h.fetch(`/api/billing/credits/history${days ? `?days=${days}` : ''}`, { key });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(await h.trpc(key).credits.history.query(days ? { days } : {})).toEqual(rest.body);
    return (rest.body as { points: Point[] }).points;
  }
  const balanceOf = async (key: string) =>
    ((await h.fetch('/api/billing/credits', { key })).body as { balance: number }).balance;
  const call = (key: string, method: string, path: string, body: unknown) =>
    h.fetch(`/api/billing/credits/${path}`, { method, key, body });

  it('is empty for an account without changes', async () => {
    const { key } = await h.account();
    expect(await history(key)).toEqual([]);
  });

  it('has one point per balance change, in ledger order, ending at the balance', async () => {
    const a = await paidAccount(h);
    expect((await call(a.key, 'POST', 'purchase', { packId: 'credits_1m' })).status).toBe(200);
    await grantCredits(h.db.db, a.accountId, 5_000);
    const spend = (amount: number, idempotencyKey: string) =>
      call(a.key, 'POST', 'spend', { amount, description: 'Enrichment - history', idempotencyKey });
    // The personal plan's allowance first, then credits.
    expect((await spend(1_000_000, 'allowance')).status).toBe(200);
    expect((await spend(300_000, 'credits')).status).toBe(200);
    const recharge = { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 1000 };
    expect((await call(a.key, 'PUT', 'auto-recharge', recharge)).status).toBe(200);
    expect((await spend(1, 'below-threshold')).status).toBe(200);
    await settled(h);

    const ledger = await ledgerOf(h, a.accountId);
    expect(new Set(ledger.map((t) => t.type))).toEqual(new Set(['purchase', 'grant', 'usage', 'auto_recharge']));
    const points = await history(a.key);
    // The spend wholly from the allowance moved no credits: it is no point of the history.
    const changes = ledger.filter((t) => t.amount !== 0);
    expect(changes).toHaveLength(ledger.length - 1);
    expect(points).toEqual(changes.map((t) => ({ at: apiTime(t.createdAt), balance: t.balanceAfter })));
    const balance = 1_000_000 + 5_000 - 300_000 - 1 + 1_000_000;
    expect(await balanceOf(a.key)).toBe(balance);
    expect(points.at(-1)?.balance).toBe(balance);
  });

  it('keeps only the changes inside the `days` window', async () => {
    const { key, accountId } = await h.account();
    await appendGrants(h.db.db, accountId, 3, new Date(h.clock.now.getTime() - 40 * DAY));
    const balance = await appendGrants(h.db.db, accountId, 2, new Date(h.clock.now.getTime() - DAY));
    expect((await history(key)).map((p) => p.balance)).toEqual([4, 5]);
    expect((await history(key, 366)).map((p) => p.balance)).toEqual([1, 2, 3, 4, 5]);
    expect(await balanceOf(key)).toBe(balance);
  });

  it('answers no points when every change is older than the window', async () => {
    const { key, accountId } = await h.account();
    await appendGrants(h.db.db, accountId, 3, new Date(h.clock.now.getTime() - 40 * DAY));
    expect(await history(key)).toEqual([]);
    expect((await history(key, 366)).map((p) => p.balance)).toEqual([1, 2, 3]);
  });

  it('lists every change up to 500 of them, and thins from 501 on', async () => {
    const { key, accountId } = await h.account();
    const from = new Date(h.clock.now.getTime() - DAY);
    await appendGrants(h.db.db, accountId, MAX_POINTS, from);
    expect((await history(key)).map((p) => p.balance)).toEqual(Array.from({ length: MAX_POINTS }, (_, i) => i + 1));
    await appendGrants(h.db.db, accountId, 1, new Date(from.getTime() + MAX_POINTS * 1000));
    const points = await history(key);
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points[0]).toEqual({ at: apiTime(new Date(from.getTime() + 1000)), balance: 1 });
    expect(points.at(-1)).toEqual({ at: apiTime(new Date(from.getTime() + (MAX_POINTS + 1) * 1000)), balance: 501 });
  });

  it('ends at the balance with more changes in the window than the old 20,000-row cap, spread over time', async () => {
    const { key, accountId } = await h.account();
    await appendGrants(h.db.db, accountId, 3, new Date(h.clock.now.getTime() - 40 * DAY));
    const rows = 25_000;
    const from = new Date(h.clock.now.getTime() - DAY);
    const balance = await appendGrants(h.db.db, accountId, rows, from);
    expect(await balanceOf(key)).toBe(balance);
    const points = await history(key);
    // Grant i of the window leaves balance 3 + i, written at `from` + i seconds: each point is one of them.
    const atOf = (b: number) => apiTime(new Date(from.getTime() + (b - 3) * 1000));
    expect(points.length).toBeGreaterThan(MAX_POINTS - 10);
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points[0]).toEqual({ at: atOf(4), balance: 4 });
    expect(points.at(-1)).toEqual({ at: atOf(balance), balance });
    for (const [i, p] of points.entries()) {
      expect(p.at).toBe(atOf(p.balance));
      if (i > 0) expect(p.balance).toBeGreaterThan(points[i - 1]!.balance);
    }
    // Spread, not cut: no gap wider than one bucket of the window's span (498 buckets between first and last).
    const gaps = points.slice(1).map((p, i) => p.balance - points[i]!.balance);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(rows / (MAX_POINTS - 2)));
  });

  it('ends at the newest change even when its clock is behind the change before it', async () => {
    const { key, accountId } = await h.account();
    const from = new Date(h.clock.now.getTime() - DAY);
    await appendGrants(h.db.db, accountId, 600, from);
    // Written last (the balance), stamped 1 ms before grant 300: two writers whose clocks raced, or a clock set
    // back. No bucket's end falls in that millisecond, so only the newest-change rule makes it a point.
    const at = new Date(from.getTime() + 300_000 - 1);
    const balance = await appendGrants(h.db.db, accountId, 1, new Date(at.getTime() - 1000));
    const points = await history(key);
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points.at(-1)).toEqual({ at: apiTime(at), balance });
    expect(await balanceOf(key)).toBe(balance);
  });
});
