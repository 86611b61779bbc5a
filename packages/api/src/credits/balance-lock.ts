import { type Executor, schema } from '@contox/db';
import { eq } from 'drizzle-orm';

/**
 * Every balance change starts here: the row lock serialises writers of one account, and every path
 * takes it before any other row it locks (payments after it), so no two paths can deadlock.
 */
export async function lockBalance(tx: Executor, accountId: string): Promise<number> {
  const [row] = await tx
    .select({ balance: schema.creditBalances.balance })
    .from(schema.creditBalances)
    .where(eq(schema.creditBalances.accountId, accountId))
    .for('update');
  if (!row) throw new Error(`no balance row for ${accountId}`);
  return row.balance;
}
