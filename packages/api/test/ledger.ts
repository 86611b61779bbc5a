import { type Database, queryRows, schema } from '@contox/db';
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { lockBalance } from '../src/store/ledger';
import { newId } from '../src/ids';

/** Test setup: credits granted through the ledger, exactly as the service writes balance changes. */
export async function grantCredits(db: Database, accountId: string, amount: number): Promise<void> {
  await db.transaction(async (tx) => {
    const balance = await lockBalance(tx, accountId);
    await tx.insert(schema.creditTransactions).values({
      id: newId('txn'),
      accountId,
      type: 'grant',
      amount,
      description: 'test grant',
      balanceAfter: balance + amount,
    });
    await tx
      .update(schema.creditBalances)
      .set({ balance: balance + amount })
      .where(eq(schema.creditBalances.accountId, accountId));
  });
}

/** The ledger invariant: the stored balance is the sum of the account's transactions and never negative. */
export async function expectLedgerConsistent(db: Database, accountId: string): Promise<number> {
  const [row] = await queryRows<{ balance: string | number; total: string | number | null }>(
    db,
    sql`select b.balance, (select coalesce(sum(amount), 0) from credit_transactions t where t.account_id = b.account_id) as total
        from credit_balances b where b.account_id = ${accountId}`,
  );
  expect(row).toBeDefined();
  expect(Number(row!.balance)).toBe(Number(row!.total));
  expect(Number(row!.balance)).toBeGreaterThanOrEqual(0);
  return Number(row!.balance);
}
