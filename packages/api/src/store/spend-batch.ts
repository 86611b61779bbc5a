import { type PriorSpend, TOKENS_METRIC, type UsageTerms } from '@contox/core';
import { type Executor, pgArray, queryBuilt, schema } from '@contox/db';
import { sql } from 'drizzle-orm';
import { asDate } from './ledger';
import { liveSubscriptionQuery } from './subscriptions';

const _t = schema.creditTransactions;

// The spend batch: many accounts locked, read and written with a few statements over arrays.

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
