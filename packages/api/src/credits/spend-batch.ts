import {
  allowanceRemaining,
  currentPeriod,
  type DomainError,
  decideSpends,
  findPack,
  getPlan,
  LIVE_STATUSES,
  type Period,
  type Plan,
  type PriorSpend,
  type SpendAccount,
  type SpendDecision,
  TOKENS_METRIC,
} from '@contox/core';
import { type Executor, pgArray, queryRows } from '@contox/db';
import { sql } from 'drizzle-orm';
import type { BillingDeps } from '../deps';
import { newId } from '../ids';

export interface SpendRequest {
  accountId: string;
  amount: number;
  description: string;
  idempotencyKey: string;
}

export interface SpendResult {
  transactionId: string;
  balance: number;
  fromAllowance: number;
  fromCredits: number;
}

/** What one spend of a batch came to; `recharge` means only an auto-recharge could cover it. */
export type SpendOutcome =
  | { kind: 'spent'; result: SpendResult; belowThreshold: boolean }
  | { kind: 'recharge'; error: DomainError }
  | { kind: 'refused'; error: DomainError };

interface AccountState {
  plan: Plan;
  period: Period;
  balance: number;
  allowanceUsed: number;
  rechargeEnabled: boolean;
  threshold: number;
  /** Tokens one auto-recharge would add, when auto-recharge is on. */
  rechargeTokens: number | null;
}

/** One `usage` ledger row of the batch, written with the others by a single insert over arrays. */
interface LedgerRow {
  id: string;
  accountId: string;
  amount: number;
  fromAllowance: number;
  description: string;
  externalRef: string;
  balanceAfter: number;
}

export const spendRef = (accountId: string, key: string) => `spend:${accountId}:${key}`;

interface LockedRow {
  account_id: string;
  balance: string | number;
  plan: string;
  created_at: string | Date;
  period_start: string | Date | null;
  period_end: string | Date | null;
  recharge_enabled: boolean | null;
  threshold: string | number | null;
  pack_id: string | null;
}

const asDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

/** Locks the balances of every account in the batch in one statement, in id order so batches never deadlock. */
async function lockAccounts(tx: Executor, deps: BillingDeps, accountIds: string[], now: Date) {
  const rows = await queryRows<LockedRow>(
    tx,
    sql`select b.account_id, b.balance, a.plan, a.created_at, s.current_period_start as period_start,
               s.current_period_end as period_end,
               (r.enabled and r.paused_payment_id is null) as recharge_enabled, r.threshold, r.pack_id
          from credit_balances b
          join accounts a on a.id = b.account_id
          left join lateral (
            select current_period_start, current_period_end from subscriptions
             where account_id = b.account_id and status = any(${pgArray(LIVE_STATUSES)}::text[])
             order by current_period_end desc limit 1) s on true
          left join auto_recharge_settings r on r.account_id = b.account_id
         where b.account_id = any(${pgArray(accountIds)}::text[])
         order by b.account_id
           for update of b`,
  );
  const states = new Map<string, AccountState>();
  for (const r of rows) {
    const plan = getPlan(deps.catalog, r.plan);
    const rechargeEnabled = r.recharge_enabled === true && plan.creditsAllowed;
    // A pack an operator has since removed from the catalogue buys nothing: no recharge to wait for.
    const rechargePack = rechargeEnabled && r.pack_id !== null ? findPack(deps.catalog, r.pack_id) : undefined;
    const subscriptionPeriod =
      r.period_start && r.period_end ? { start: asDate(r.period_start), end: asDate(r.period_end) } : null;
    states.set(r.account_id, {
      plan,
      period: currentPeriod({ plan, accountCreatedAt: asDate(r.created_at), subscriptionPeriod, now }),
      balance: Number(r.balance),
      allowanceUsed: 0,
      rechargeEnabled,
      threshold: Number(r.threshold ?? 0),
      rechargeTokens: rechargePack?.tokens ?? null,
    });
  }
  return states;
}

/** Creates-or-locks each account's token counter for its period in one statement. */
async function lockAllowances(tx: Executor, states: [string, AccountState][]) {
  const ids = pgArray(states.map(([id]) => id));
  const starts = pgArray(states.map(([, s]) => s.period.start.toISOString()));
  const rows = await queryRows<{ account_id: string; used: string | number }>(
    tx,
    sql`insert into usage_counters (account_id, metric, period_start, used)
        select v.account_id, ${TOKENS_METRIC}, v.period_start, 0
          from unnest(${ids}::text[], ${starts}::timestamptz[]) with ordinality as v(account_id, period_start, n)
         order by v.n
        on conflict (account_id, metric, period_start) do update set used = usage_counters.used
        returning account_id, used`,
  );
  const byId = new Map(states);
  for (const r of rows) byId.get(r.account_id)!.allowanceUsed = Number(r.used);
}

/**
 * Locks the token counters of the periods this process saw last for these accounts. A period changes once
 * a month, so this almost always hits and can travel with the balance locks instead of after them.
 */
async function lockKnownAllowances(
  tx: Executor,
  hints: [string, Date][],
): Promise<Map<string, { start: number; used: number }>> {
  if (hints.length === 0) return new Map();
  const ids = pgArray(hints.map(([id]) => id));
  const starts = pgArray(hints.map(([, start]) => start.toISOString()));
  const rows = await queryRows<{ account_id: string; period_start: string | Date; used: string | number }>(
    tx,
    sql`select c.account_id, c.period_start, c.used from usage_counters c
          join unnest(${ids}::text[], ${starts}::timestamptz[]) as v(account_id, period_start)
            on c.account_id = v.account_id and c.period_start = v.period_start
         where c.metric = ${TOKENS_METRIC}
         order by c.account_id for update of c`,
  );
  return new Map(rows.map((r) => [r.account_id, { start: asDate(r.period_start).getTime(), used: Number(r.used) }]));
}

interface PriorRow {
  external_ref: string;
  id: string;
  amount: string | number;
  from_allowance: string | number;
  description: string | null;
}

async function readPriors(tx: Executor, refs: string[]): Promise<Map<string, PriorSpend>> {
  const rows = await queryRows<PriorRow>(
    tx,
    sql`select external_ref, id, amount, from_allowance, description from credit_transactions
         where external_ref = any(${pgArray(refs)}::text[])`,
  );
  return new Map(
    rows.map((r) => [
      r.external_ref,
      {
        transactionId: r.id,
        fromAllowance: Number(r.from_allowance),
        fromCredits: -Number(r.amount),
        description: r.description,
      },
    ]),
  );
}

/** Locks balances and this period's token counters of the batch's accounts, reusing known period starts. */
async function lockBatch(
  tx: Executor,
  deps: BillingDeps,
  requests: SpendRequest[],
  now: Date,
  periodHints: Map<string, Date>,
) {
  const accountIds = [...new Set(requests.map((r) => r.accountId))].sort();
  const hinted = accountIds.flatMap((id): [string, Date][] => {
    const start = periodHints.get(id);
    return start ? [[id, start]] : [];
  });
  // Sent together (postgres.js pipelines them): the server runs them in order, so the balance locks come
  // first and the prior-spend check starts only once they are held, seeing every spend committed before it.
  const [states, known, priors] = await Promise.all([
    lockAccounts(tx, deps, accountIds, now),
    lockKnownAllowances(tx, hinted),
    readPriors(
      tx,
      requests.map((r) => spendRef(r.accountId, r.idempotencyKey)),
    ),
  ]);
  const unknown: [string, AccountState][] = [];
  for (const [id, state] of states) {
    const hit = known.get(id);
    if (hit && hit.start === state.period.start.getTime()) state.allowanceUsed = hit.used;
    else unknown.push([id, state]);
    if (periodHints.size > 100_000) periodHints.clear();
    periodHints.set(id, state.period.start);
  }
  if (unknown.length > 0) await lockAllowances(tx, unknown);
  return { states, priors };
}

function toOutcome(d: SpendDecision): SpendOutcome {
  if (d.kind !== 'spent') return d;
  const { transactionId, balance, fromAllowance, fromCredits, belowThreshold } = d;
  return { kind: 'spent', result: { transactionId, balance, fromAllowance, fromCredits }, belowThreshold };
}

/**
 * Applies many spends in one transaction with exactly the outcomes they would have one by one: accounts are
 * locked, the core decides each spend in arrival order (`decideSpends`), then all rows are written with a
 * handful of multi-row statements. The caller commits once for the whole batch.
 */
export async function applySpendBatch(
  tx: Executor,
  deps: BillingDeps,
  requests: SpendRequest[],
  now: Date,
  /** Each account's last known period start, kept by the caller across batches. */
  periodHints: Map<string, Date>,
): Promise<SpendOutcome[]> {
  const { states, priors } = await lockBatch(tx, deps, requests, now, periodHints);
  const accounts = new Map<string, SpendAccount>();
  for (const [id, s] of states) {
    accounts.set(id, { ...s, allowanceRemaining: allowanceRemaining(s.plan, s.allowanceUsed) });
  }
  const asks = requests.map((r) => ({ ...r, ref: spendRef(r.accountId, r.idempotencyKey) }));
  const { decisions, after } = decideSpends(accounts, priors, asks, () => newId('txn'));
  const ledger = decisions.flatMap((d): LedgerRow[] =>
    d.kind === 'spent' && d.row
      ? [
          {
            id: d.transactionId,
            accountId: d.row.accountId,
            amount: -d.fromCredits,
            fromAllowance: d.fromAllowance,
            description: d.row.description,
            externalRef: d.row.ref,
            balanceAfter: d.balance,
          },
        ]
      : [],
  );
  await writeBatch(
    tx,
    now,
    ledger,
    [...after].map(([id, a]) => ({ id, state: states.get(id)!, ...a })),
  );
  return decisions.map(toOutcome);
}

interface Written {
  id: string;
  state: AccountState;
  balance: number;
  allowanceSpent: number;
}

/** The ledger rows, the new balances and the token counters of a batch, in three statements sent together. */
async function writeBatch(tx: Executor, now: Date, ledger: LedgerRow[], touched: Written[]) {
  if (ledger.length === 0) return;
  const ids = pgArray(touched.map((t) => t.id));
  const column = <K extends keyof LedgerRow>(k: K) => pgArray(ledger.map((l) => l[k]));
  await Promise.all([
    tx.execute(
      sql`insert into credit_transactions
            (id, account_id, type, amount, from_allowance, description, external_ref, balance_after, created_at)
          select v.id, v.account_id, 'usage', v.amount, v.from_allowance, v.description, v.external_ref,
                 v.balance_after, ${now.toISOString()}::timestamptz
            from unnest(${column('id')}::text[], ${column('accountId')}::text[], ${column('amount')}::bigint[],
                        ${column('fromAllowance')}::bigint[], ${column('description')}::text[],
                        ${column('externalRef')}::text[], ${column('balanceAfter')}::bigint[]) with ordinality
                 as v(id, account_id, amount, from_allowance, description, external_ref, balance_after, n)
           order by v.n`,
    ),
    tx.execute(
      sql`update credit_balances b set balance = v.balance, updated_at = ${now.toISOString()}::timestamptz
            from unnest(${ids}::text[], ${pgArray(touched.map((t) => t.balance))}::bigint[])
                 as v(account_id, balance)
           where b.account_id = v.account_id`,
    ),
    tx.execute(
      sql`update usage_counters c set used = v.used
            from unnest(${ids}::text[],
                        ${pgArray(touched.map((t) => t.state.period.start.toISOString()))}::timestamptz[],
                        ${pgArray(touched.map((t) => t.state.allowanceUsed + t.allowanceSpent))}::bigint[]) as v(account_id, period_start, used)
           where c.account_id = v.account_id and c.metric = ${TOKENS_METRIC} and c.period_start = v.period_start`,
    ),
  ]);
}
