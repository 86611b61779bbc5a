import { type Database, type Executor, queryRows, schema } from '@contox/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { prepared } from './prepared';

const t = schema.creditTransactions;

// The drivers differ: postgres.js returns dates and PGlite may return strings for raw statements.
export const asDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

// The credits ledger: credit_balances and the append-only credit_transactions. Every balance change writes
// its ledger row and the new balance in the caller's transaction, after `lockBalance`.

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

/** The id of the account's ledger row written for this reference (a PaymentIntent id, a spend key), if any. */
export async function findLedgerRowIdByRef(
  tx: Executor,
  accountId: string,
  externalRef: string,
): Promise<string | null> {
  const t = schema.creditTransactions;
  const [row] = await tx
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.accountId, accountId), eq(t.externalRef, externalRef)));
  return row?.id ?? null;
}

export type LedgerEntry = typeof schema.creditTransactions.$inferInsert & { createdAt: Date };

/** Appends one ledger row and sets the balance it ends on; the caller holds `lockBalance`. */
export async function appendLedgerEntry(tx: Executor, entry: LedgerEntry): Promise<void> {
  await tx.insert(schema.creditTransactions).values(entry);
  await tx
    .update(schema.creditBalances)
    .set({ balance: entry.balanceAfter, updatedAt: entry.createdAt })
    .where(eq(schema.creditBalances.accountId, entry.accountId));
}

const balanceQuery = (db: Database) =>
  db
    .select({ balance: schema.creditBalances.balance })
    .from(schema.creditBalances)
    .where(eq(schema.creditBalances.accountId, sql.placeholder('accountId')))
    .prepare('credit_balance');

export async function readBalance(db: Database, accountId: string): Promise<number> {
  const [row] = await prepared(db, 'credit_balance', balanceQuery).execute({ accountId });
  return row?.balance ?? 0;
}

export type LedgerRow = typeof t.$inferSelect;

// The history lists balance changes only: a spend wholly from the plan allowance keeps its ledger row (its
// idempotency key and its tokens live there) but moves no credits. A literal, so that the partial index
// credit_transactions_account_changes_idx (where amount <> 0) serves these reads.
const changesBalance = sql`${t.amount} <> 0`;

const firstPageQuery = (db: Database) =>
  db
    .select()
    .from(t)
    .where(and(eq(t.accountId, sql.placeholder('accountId')), changesBalance))
    .orderBy(desc(t.seq))
    .limit(sql.placeholder('limit'))
    .prepare('ledger_first_page');

const pageBeforeQuery = (db: Database) =>
  db
    .select()
    .from(t)
    .where(and(eq(t.accountId, sql.placeholder('accountId')), changesBalance, lt(t.seq, sql.placeholder('before'))))
    .orderBy(desc(t.seq))
    .limit(sql.placeholder('limit'))
    .prepare('ledger_page_before');

/** Up to `limit` ledger rows that changed the balance, newest first, those before sequence number `before` when given (keyset paging). */
export function readLedgerPage(db: Database, accountId: string, limit: number, before: number | null) {
  return before === null
    ? prepared(db, 'ledger_first_page', firstPageQuery).execute({ accountId, limit })
    : prepared(db, 'ledger_page_before', pageBeforeQuery).execute({ accountId, before, limit });
}

/** One point of the balance history: a ledger row that changed the balance, and the balance it left. */
export interface BalancePoint {
  at: Date;
  balance: number;
}

interface PointRow {
  created_at: string | Date;
  balance_after: string | number;
}

// Changes of the account since $since, by the partial index credit_transactions_account_changes_at_idx.
const windowChanges = (accountId: string, since: string) =>
  sql`account_id = ${accountId} and amount <> 0 and created_at >= ${since}::timestamptz`;

/**
 * The balance after changes since `since`, in ledger order, at most `maxPoints` of them, with a cost bounded by
 * `maxPoints` rather than by the ledger: with at most `maxPoints` changes in the window, all of them; with more,
 * the window from its first change to its last is cut into `maxPoints - 2` buckets and each bucket's end takes
 * the last change at or before it (one index probe each, so every point is a real row's balance_after), and the
 * newest change (by `seq`, the order balances were written in) is always the last point: the current balance.
 * The window is counted only up to `maxPoints + 1`, and each branch runs only when its one-time filter says
 * so. Every branch has a LIMIT: unbounded, the planner costs the first branch at the account's whole ledger
 * and compiles the statement with JIT (measured: 15 ms of a 19 ms execution on an account of 1M rows). The
 * limits are literals, not parameters, so a generic plan of the prepared statement knows them too.
 */
export async function readBalanceHistory(
  db: Database,
  accountId: string,
  since: Date,
  maxPoints: number,
): Promise<BalancePoint[]> {
  const inWindow = windowChanges(accountId, since.toISOString());
  // At least 3: one bucket's two ends and the newest change.
  const n = Math.max(3, Math.trunc(maxPoints));
  const [max, countUpTo, buckets] = [n, n + 1, n - 2].map((v) => sql.raw(String(v)));
  const newestFirst = sql`order by created_at desc, seq desc`;
  const rows = await queryRows<PointRow>(
    db,
    sql`with size as (
          select count(*) as n
            from (select 1 from credit_transactions where ${inWindow} ${newestFirst} limit ${countUpTo}) c
        )
        (select seq, created_at, balance_after from credit_transactions
          where ${inWindow} and (select n from size) <= ${max} ${newestFirst} limit ${max})
        union
        select p.seq, p.created_at, p.balance_after
          from (select min(created_at) as lo, max(created_at) as hi from credit_transactions where ${inWindow}) s
         cross join generate_series(0, ${buckets}) as b(i)
         cross join lateral (
               select seq, created_at, balance_after from credit_transactions
                where ${inWindow} and created_at <= s.lo + (s.hi - s.lo) * (b.i::float8 / ${buckets})
                ${newestFirst} limit 1) p
         where (select n from size) > ${max}
        union
        (select seq, created_at, balance_after from credit_transactions where ${inWindow} order by seq desc limit 1)
        order by seq`,
  );
  return rows.map((r) => ({ at: asDate(r.created_at), balance: Number(r.balance_after) }));
}
