import {
  allowanceRemaining,
  currentPeriod,
  type DomainError,
  decideSpends,
  findPack,
  getPlan,
  type Period,
  type Plan,
  type SpendAccount,
  type SpendDecision,
} from '@contox/core';
import type { Executor } from '@contox/db';
import type { BillingDeps } from '../../deps';
import { newId } from '../../ids';
import {
  lockCountersAndReadPriors,
  lockSpendAccounts,
  type UsageLedgerRow,
  writeSpendBatch,
} from '../../store/spend-batch';
import { lockTokenCounters, type TokenCounterPeriod } from '../../store/usage';
import { type AvailableChange, emitCreditsLow } from '../outbox/credits-low';

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
  alertThreshold: number | null;
}

// Below the spend queue's 5 s batch deadline: a batch that cannot get its row locks in time rolls back and its
// callers are answered with the failure, instead of being told "failed" by the deadline and committing later.
const LOCK_WAIT_MS = 4_000;

export const spendRef = (accountId: string, key: string) => `spend:${accountId}:${key}`;

/** Locks the balances of every account in the batch and derives each one's plan, period and recharge. */
async function lockAccounts(tx: Executor, deps: BillingDeps, accountIds: string[], now: Date) {
  const rows = await lockSpendAccounts(tx, accountIds, LOCK_WAIT_MS);
  const states = new Map<string, AccountState>();
  for (const r of rows) {
    const plan = getPlan(deps.catalog, r.plan);
    const rechargeEnabled = r.rechargeOn && plan.creditsAllowed;
    // A pack an operator has since removed from the catalogue buys nothing: no recharge to wait for.
    const rechargePack =
      rechargeEnabled && r.rechargePackId !== null ? findPack(deps.catalog, r.rechargePackId) : undefined;
    const { subscription } = r;
    states.set(r.accountId, {
      plan,
      period: currentPeriod({ plan, accountCreatedAt: r.createdAt, subscription, now }),
      balance: r.balance,
      allowanceUsed: 0,
      rechargeEnabled,
      threshold: r.threshold,
      rechargeTokens: rechargePack?.tokens ?? null,
      alertThreshold: r.alertThreshold,
    });
  }
  return states;
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
  // A period changes once a month, so the counters of the periods this process saw last almost always
  // hit, and their locks can travel with the balance locks instead of after them.
  const hinted = accountIds.flatMap((accountId): TokenCounterPeriod[] => {
    const periodStart = periodHints.get(accountId);
    return periodStart ? [{ accountId, periodStart }] : [];
  });
  // Sent together (postgres.js pipelines them): the server runs them in order, so the balance locks come
  // first and the prior-spend check starts only once they are held, seeing every spend committed before it.
  const [states, { counters: known, priors }] = await Promise.all([
    lockAccounts(tx, deps, accountIds, now),
    lockCountersAndReadPriors(
      tx,
      hinted,
      requests.map((r) => ({ accountId: r.accountId, externalRef: spendRef(r.accountId, r.idempotencyKey) })),
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
  if (unknown.length > 0) {
    const used = await lockTokenCounters(
      tx,
      unknown.map(([accountId, state]) => ({ accountId, periodStart: state.period.start })),
    );
    for (const [id, state] of unknown) state.allowanceUsed = used.get(id)!;
  }
  return { states, priors };
}

function toOutcome(d: SpendDecision): SpendOutcome {
  if (d.kind !== 'spent') return d;
  const { transactionId, balance, fromAllowance, fromCredits, belowThreshold } = d;
  return { kind: 'spent', result: { transactionId, balance, fromAllowance, fromCredits }, belowThreshold };
}

/** A batch decided and its writes sent; `written` settles with them: null, or the error that failed one. */
export interface AppliedBatch {
  outcomes: SpendOutcome[];
  written: Promise<{ error: unknown } | null>;
}

/**
 * Applies many spends in one transaction with exactly the outcomes they would have one by one: accounts are
 * locked, the core decides each spend in arrival order (`decideSpends`), then all rows are written with one
 * statement over arrays. The writes are sent, not awaited: the caller commits once for the whole
 * batch, its COMMIT travelling with them, and must then check `written` (a failed write rolled it back).
 */
export async function applySpendBatch(
  tx: Executor,
  deps: BillingDeps,
  requests: SpendRequest[],
  now: Date,
  /** Each account's last known period start, kept by the caller across batches. */
  periodHints: Map<string, Date>,
): Promise<AppliedBatch> {
  const { states, priors } = await lockBatch(tx, deps, requests, now, periodHints);
  const accounts = new Map<string, SpendAccount>();
  for (const [id, s] of states) {
    accounts.set(id, { ...s, allowanceRemaining: allowanceRemaining(s.plan, s.allowanceUsed) });
  }
  const asks = requests.map((r) => ({ ...r, ref: spendRef(r.accountId, r.idempotencyKey) }));
  const { decisions, after } = decideSpends(accounts, priors, asks, () => newId('txn'));
  const ledger = decisions.flatMap((d): UsageLedgerRow[] =>
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
  const written = [...after].map(([id, a]) => ({ id, state: states.get(id)!, ...a }));
  const sent = Promise.all([
    writeBatch(tx, now, ledger, written),
    // One comparison per account; a statement only when one crossed its low-credit threshold.
    emitCreditsLow(tx, written.map(availableChange), now),
  ]);
  return {
    outcomes: decisions.map(toOutcome),
    written: sent.then(
      () => null,
      (error: unknown) => ({ error }),
    ),
  };
}

interface Written {
  id: string;
  state: AccountState;
  balance: number;
  allowanceSpent: number;
}

/** What the account could spend before the batch and after it, against its alert threshold. */
const availableChange = ({ id, state, balance, allowanceSpent }: Written): AvailableChange => ({
  accountId: id,
  threshold: state.alertThreshold,
  balanceBefore: state.balance,
  balanceAfter: balance,
  allowanceBefore: allowanceRemaining(state.plan, state.allowanceUsed),
  allowanceAfter: allowanceRemaining(state.plan, state.allowanceUsed + allowanceSpent),
});

/** The ledger rows, the new balances and the token counters of a batch, in one statement. */
async function writeBatch(tx: Executor, now: Date, ledger: UsageLedgerRow[], touched: Written[]) {
  if (ledger.length === 0) return;
  // Handed to the connection when called (queryBuilt), so it goes out ahead of the COMMIT.
  await writeSpendBatch(
    tx,
    now,
    ledger,
    touched.map((t) => ({
      accountId: t.id,
      balance: t.balance,
      periodStart: t.state.period.start,
      tokensUsed: t.state.allowanceUsed + t.allowanceSpent,
    })),
  );
}
