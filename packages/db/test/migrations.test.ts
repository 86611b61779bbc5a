import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgArray, queryRows, schema } from '../src/index';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../src/testing/index';

// Drizzle wraps driver errors; the database's own message is the cause.
async function failureOf(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (err) {
    return String((err as Error).cause ?? err);
  }
  return 'no error';
}

describe.each(testDatabaseKinds())('schema on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await t.db.insert(schema.accounts).values({ id: 'acc_1', name: 'A' });
  });
  afterAll(() => t.close());

  it('refuses UPDATE and DELETE on the ledger', async () => {
    await t.db.insert(schema.creditTransactions).values({
      id: 'txn_1',
      accountId: 'acc_1',
      type: 'grant',
      amount: 10,
      balanceAfter: 10,
    });
    const update = t.db
      .update(schema.creditTransactions)
      .set({ amount: 99 })
      .where(eq(schema.creditTransactions.id, 'txn_1'));
    expect(await failureOf(update)).toMatch(/append-only: UPDATE refused/);
    const del = t.db.delete(schema.creditTransactions).where(eq(schema.creditTransactions.id, 'txn_1'));
    expect(await failureOf(del)).toMatch(/append-only: DELETE refused/);
    const rows = await queryRows<{ amount: string | number }>(t.db, sql`select amount from credit_transactions`);
    expect(rows.map((r) => Number(r.amount))).toEqual([10]);
  });

  it('allows one owner per account', async () => {
    await t.db
      .insert(schema.members)
      .values({ id: 'mem_1', accountId: 'acc_1', email: 'a@x', name: 'A', role: 'owner' });
    await expect(
      t.db.insert(schema.members).values({ id: 'mem_2', accountId: 'acc_1', email: 'b@x', name: 'B', role: 'owner' }),
    ).rejects.toThrow();
    await t.db
      .insert(schema.members)
      .values({ id: 'mem_3', accountId: 'acc_1', email: 'c@x', name: 'C', role: 'admin' });
  });

  it('refuses a negative balance', async () => {
    await expect(t.db.insert(schema.creditBalances).values({ accountId: 'acc_1', balance: -1 })).rejects.toThrow();
  });
});

describe.each(testDatabaseKinds())('pgArray on %s', (kind) => {
  it('round-trips quotes, backslashes, commas, braces and nulls', async () => {
    const t = await createTestDatabase(kind);
    try {
      const values = ['plain', 'with "quotes"', 'back\\slash', 'a,b', '{x}', null, "it's"];
      const rows = await queryRows<{ v: string | null }>(t.db, sql`select unnest(${pgArray(values)}::text[]) as v`);
      expect(rows.map((r) => r.v)).toEqual(values);
    } finally {
      await t.close();
    }
  });
});
