import { type PriorSpend, TOKENS_METRIC, type UsageTerms } from '@contox/core';
import { type Database, type Executor, pgArray, queryBuilt, queryRows, schema } from '@contox/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { prepared } from './prepared';
import { liveSubscriptionQuery } from './subscriptions';

const t = schema.creditTransactions;

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

// ---- The spend batch: many accounts locked, read and written with a few statements over arrays ----

/** One account of a spend batch as its lock found it. */
export interface SpendAccountRow {
  accountId: string;
  balance: number;
  plan: string;
  createdAt: Date;
  /** The live subscription's usage terms, when there is one. */
  subscription: UsageTerms | null;
  /** Auto-recharge switched on and not paused by a failed recharge. */
  rechargeOn: boolean;
  threshold: number;
  rechargePackId: string | null;
  /** The low-credit alert threshold, null without one (read with the lock: no extra round trip). */
  alertThreshold: number | null;
}

interface LockedRow {
  account_id: string;
  balance: string | number;
  plan: string;
  created_at: string | Date;
  usage_anchor: string | Date | null;
  paid_through: string | Date | null;
  recharge_enabled: boolean | null;
  threshold: string | number | null;
  pack_id: string | null;
  alert_threshold: string | number | null;
}

// The drivers differ: postgres.js returns dates and PGlite may return strings for raw statements.
const asDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

// The spend batch's statements are written as drizzle SQL but rendered once (queryBuilt): their values are
// placeholders, lists are arrays.

/**
 * The batch's first statement sets its transaction up before it locks anything: `settings` is an InitPlan the
 * one-time filter runs before the first row is read. `lock_timeout` bounds how long this statement and the
 * next ones wait for a row lock: past it Postgres fails the statement (55P03) and the transaction rolls back,
 * so a caller told "failed" was not charged after all. `plan_cache_mode` gives the statements after it their
 * generic plans (prepared, fixed text), instead of planning each execution anew (measured: planning was most of
 * Postgres' CPU for a lone spend). This one was planned before its settings ran, so it takes the ids through a
 * scalar subquery: no plan can know the array, a custom plan costs no less than the generic one, and Postgres
 * keeps the generic plan after its first five executions.
 */
const lockStatement = (db: Executor) =>
  sql`with settings as (
        select set_config('lock_timeout', ${sql.placeholder('lockWaitMs')}, true),
               set_config('plan_cache_mode', 'force_generic_plan', true)
      )
      select b.account_id, b.balance, a.plan, a.created_at,
             coalesce(s.usage_anchor, s.current_period_start) as usage_anchor,
             coalesce(s.paid_through, s.current_period_end) as paid_through,
             (r.enabled and r.paused_payment_id is null) as recharge_enabled, r.threshold, r.pack_id,
             c.threshold as alert_threshold
        from credit_balances b
        join accounts a on a.id = b.account_id
        left join lateral (${liveSubscriptionQuery(db, sql`b.account_id`)}) s on true
        left join auto_recharge_settings r on r.account_id = b.account_id
        left join credit_alert_settings c on c.account_id = b.account_id
       where b.account_id = any((select ${sql.placeholder('ids')}::text[])::text[]) and exists (select from settings)
       order by b.account_id
         for update of b`;

/**
 * Sets the batch's transaction up and locks the balances of these accounts, in one statement, in id order so
 * batches never deadlock.
 */
export async function lockSpendAccounts(
  tx: Executor,
  sortedAccountIds: string[],
  lockWaitMs: number,
): Promise<SpendAccountRow[]> {
  const rows = await queryBuilt<LockedRow>(tx, lockStatement, {
    ids: pgArray(sortedAccountIds),
    lockWaitMs: String(Math.trunc(lockWaitMs)),
  });
  return rows.map((r) => ({
    accountId: r.account_id,
    balance: Number(r.balance),
    plan: r.plan,
    createdAt: asDate(r.created_at),
    subscription:
      r.usage_anchor && r.paid_through ? { anchor: asDate(r.usage_anchor), paidThrough: asDate(r.paid_through) } : null,
    rechargeOn: r.recharge_enabled === true,
    threshold: Number(r.threshold ?? 0),
    rechargePackId: r.pack_id,
    alertThreshold: r.alert_threshold === null ? null : Number(r.alert_threshold),
  }));
}

/** A token counter the batch locked, or a spend already in the ledger under one of its keys. */
interface HeldRow {
  kind: 'counter' | 'prior';
  /** The account of a counter, the reference of a prior spend. */
  key: string;
  period_start: string | Date | null;
  used: string | number | null;
  id: string | null;
  amount: string | number | null;
  from_allowance: string | number | null;
  description: string | null;
}

const p = (name: string) => sql.placeholder(name);

const countersAndPriorsStatement = () =>
  sql`with counters as (
        select c.account_id, c.period_start, c.used from usage_counters c
          join unnest(${p('counterAccounts')}::text[], ${p('periodStarts')}::timestamptz[])
               as v(account_id, period_start)
            on c.account_id = v.account_id and c.period_start = v.period_start
         where c.metric = ${TOKENS_METRIC}
         order by c.account_id
           for update of c
      )
      select 'counter' as kind, account_id as key, period_start, used,
             null::text as id, null::bigint as amount, null::bigint as from_allowance, null::text as description
        from counters
      union all
      select 'prior', t.external_ref, null, null, t.id, t.amount, t.from_allowance, t.description
        from unnest(${p('refAccounts')}::text[], ${p('refs')}::text[]) as v(account_id, external_ref)
        join credit_transactions t on t.account_id = v.account_id and t.external_ref = v.external_ref`;

/** What a batch finds once its balances are locked: its hinted token counters, locked, and its prior spends. */
export interface HeldSpendState {
  /** By account: the period start in ms and the tokens used. */
  counters: Map<string, { start: number; used: number }>;
  /** By reference: the spend already made under it (a retry of an answered spend). */
  priors: Map<string, PriorSpend>;
}

/**
 * Locks the token counters that already exist for these periods (none is created) and reads the spends already
 * in the ledger under these references, in one statement sent right behind the balance locks. Not part of the
 * lock statement: this one's snapshot is taken once the balance locks are held, so it sees a spend another
 * process committed while the batch waited for them (test/spend-prior-under-lock.test.ts).
 */
export async function lockCountersAndReadPriors(
  tx: Executor,
  periods: { accountId: string; periodStart: Date }[],
  refs: { accountId: string; externalRef: string }[],
): Promise<HeldSpendState> {
  const rows = await queryBuilt<HeldRow>(tx, countersAndPriorsStatement, {
    counterAccounts: pgArray(periods.map((c) => c.accountId)),
    periodStarts: pgArray(periods.map((c) => c.periodStart.toISOString())),
    refAccounts: pgArray(refs.map((r) => r.accountId)),
    refs: pgArray(refs.map((r) => r.externalRef)),
  });
  const held: HeldSpendState = { counters: new Map(), priors: new Map() };
  for (const r of rows) {
    if (r.kind === 'counter') {
      held.counters.set(r.key, { start: asDate(r.period_start!).getTime(), used: Number(r.used) });
    } else {
      held.priors.set(r.key, {
        transactionId: r.id!,
        fromAllowance: Number(r.from_allowance),
        fromCredits: -Number(r.amount),
        description: r.description,
      });
    }
  }
  return held;
}

/** One `usage` ledger row of a spend batch. */
export interface UsageLedgerRow {
  id: string;
  accountId: string;
  amount: number;
  fromAllowance: number;
  description: string;
  externalRef: string;
  balanceAfter: number;
}

/** An account a spend batch wrote: its new balance and its token counter for the period. */
export interface SpentAccount {
  accountId: string;
  balance: number;
  periodStart: Date;
  /** Tokens of the plan allowance used in the period, this batch included. */
  tokensUsed: number;
}

// One statement: the data-modifying CTEs run exactly once each, to completion, whether or not referenced.
const writeStatement = () =>
  sql`with ledger as (
        insert into credit_transactions
          (id, account_id, type, amount, from_allowance, description, external_ref, balance_after, created_at)
        select v.id, v.account_id, 'usage', v.amount, v.from_allowance, v.description, v.external_ref,
               v.balance_after, ${p('now')}::timestamptz
          from unnest(${p('ids')}::text[], ${p('rowAccounts')}::text[], ${p('amounts')}::bigint[],
                      ${p('fromAllowance')}::bigint[], ${p('descriptions')}::text[], ${p('refs')}::text[],
                      ${p('balancesAfter')}::bigint[]) with ordinality
               as v(id, account_id, amount, from_allowance, description, external_ref, balance_after, n)
         order by v.n
      ), balances as (
        update credit_balances b set balance = v.balance, updated_at = ${p('now')}::timestamptz
          from unnest(${p('accounts')}::text[], ${p('balances')}::bigint[]) as v(account_id, balance)
         where b.account_id = v.account_id
      )
      update usage_counters c set used = v.used
        from unnest(${p('accounts')}::text[], ${p('periodStarts')}::timestamptz[], ${p('tokensUsed')}::bigint[])
             as v(account_id, period_start, used)
       where c.account_id = v.account_id and c.metric = ${TOKENS_METRIC} and c.period_start = v.period_start`;

/**
 * Writes a spend batch in one statement: its `usage` ledger rows (in the given order), the new balances and the
 * token counters of its accounts, whose balances and counters the batch holds locked.
 */
export async function writeSpendBatch(
  tx: Executor,
  now: Date,
  rows: UsageLedgerRow[],
  accounts: SpentAccount[],
): Promise<void> {
  const column = <K extends keyof UsageLedgerRow>(k: K) => pgArray(rows.map((l) => l[k]));
  await queryBuilt(tx, writeStatement, {
    now: now.toISOString(),
    ids: column('id'),
    rowAccounts: column('accountId'),
    amounts: column('amount'),
    fromAllowance: column('fromAllowance'),
    descriptions: column('description'),
    refs: column('externalRef'),
    balancesAfter: column('balanceAfter'),
    accounts: pgArray(accounts.map((a) => a.accountId)),
    balances: pgArray(accounts.map((a) => a.balance)),
    periodStarts: pgArray(accounts.map((a) => a.periodStart.toISOString())),
    tokensUsed: pgArray(accounts.map((a) => a.tokensUsed)),
  });
}

// ---- Reading the ledger: the balance, pages of rows newest first, and the balance history ----

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
