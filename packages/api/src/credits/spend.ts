import { DomainError, insufficientCredits, planSpend, splitSpend, allowanceRemaining, decideShortfallRecharge, isDomainError } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { and, eq } from 'drizzle-orm';
import { type BillingState, billingState } from '../accounts/billing-state';
import type { BillingDeps } from '../deps';
import { newId } from '../ids';
import { TOKENS_METRIC } from '../usage/read-usage';
import { readRechargeContext, runAutoRecharge } from './auto-recharge-run';
import { lockBalance } from './balance-lock';

export interface SpendInput {
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

type Attempt = { kind: 'spent'; result: SpendResult; belowThreshold: boolean } | { kind: 'recharge_first' };

const spendRef = (accountId: string, key: string) => `spend:${accountId}:${key}`;

async function replay(tx: Executor, accountId: string, input: SpendInput, balance: number): Promise<SpendResult | null> {
  const [prior] = await tx
    .select()
    .from(schema.creditTransactions)
    .where(eq(schema.creditTransactions.externalRef, spendRef(accountId, input.idempotencyKey)));
  if (!prior) return null;
  if (prior.fromAllowance - prior.amount !== input.amount || prior.description !== input.description) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', 'This idempotencyKey was already used for a different spend');
  }
  return { transactionId: prior.id, balance, fromAllowance: prior.fromAllowance, fromCredits: -prior.amount };
}

async function lockAllowance(tx: Executor, accountId: string, periodStart: Date): Promise<number> {
  const where = and(
    eq(schema.usageCounters.accountId, accountId),
    eq(schema.usageCounters.metric, TOKENS_METRIC),
    eq(schema.usageCounters.periodStart, periodStart),
  );
  await tx
    .insert(schema.usageCounters)
    .values({ accountId, metric: TOKENS_METRIC, periodStart, used: 0 })
    .onConflictDoNothing();
  const [row] = await tx.select({ used: schema.usageCounters.used }).from(schema.usageCounters).where(where).for('update');
  return row?.used ?? 0;
}

async function attempt(
  deps: BillingDeps,
  accountId: string,
  state: BillingState,
  input: SpendInput,
  mayRecharge: boolean,
): Promise<Attempt> {
  const now = deps.now();
  return deps.database.db.transaction(async (tx) => {
    const balance = await lockBalance(tx, accountId);
    const prior = await replay(tx, accountId, input, balance);
    if (prior) return { kind: 'spent', result: prior, belowThreshold: false };
    const allowanceUsed = await lockAllowance(tx, accountId, state.period.start);
    const remaining = allowanceRemaining(state.plan, allowanceUsed);
    let split: { fromAllowance: number; fromCredits: number };
    try {
      split = splitSpend({ amount: input.amount, allowanceRemaining: remaining, balance });
    } catch (err) {
      if (!mayRecharge || !isDomainError(err) || err.code !== 'INSUFFICIENT_CREDITS') throw err;
      const ctx = await readRechargeContext(tx, accountId, state.period.start);
      const decision = ctx.blockedByFailure
        ? null
        : decideShortfallRecharge({
            settings: ctx.settings,
            plan: state.plan,
            catalog: deps.catalog,
            chargedThisPeriod: ctx.chargedThisPeriod,
            inFlight: ctx.pending !== null,
          });
      const plan = planSpend({
        amount: input.amount,
        allowanceRemaining: remaining,
        balance,
        rechargeTokens: decision?.recharge ? decision.pack.tokens : null,
      });
      if (plan.kind === 'recharge_first') return { kind: 'recharge_first' };
      split = plan.split;
    }
    const after = balance - split.fromCredits;
    const transactionId = newId('txn');
    await tx
      .update(schema.usageCounters)
      .set({ used: allowanceUsed + split.fromAllowance })
      .where(
        and(
          eq(schema.usageCounters.accountId, accountId),
          eq(schema.usageCounters.metric, TOKENS_METRIC),
          eq(schema.usageCounters.periodStart, state.period.start),
        ),
      );
    if (split.fromCredits > 0) {
      await tx
        .update(schema.creditBalances)
        .set({ balance: after, updatedAt: now })
        .where(eq(schema.creditBalances.accountId, accountId));
    }
    await tx.insert(schema.creditTransactions).values({
      id: transactionId,
      accountId,
      type: 'usage',
      amount: -split.fromCredits,
      fromAllowance: split.fromAllowance,
      description: input.description,
      externalRef: spendRef(accountId, input.idempotencyKey),
      balanceAfter: after,
      createdAt: now,
    });
    const [settings] = await tx
      .select({ enabled: schema.autoRechargeSettings.enabled, threshold: schema.autoRechargeSettings.threshold })
      .from(schema.autoRechargeSettings)
      .where(eq(schema.autoRechargeSettings.accountId, accountId));
    return {
      kind: 'spent',
      result: { transactionId, balance: after, ...split },
      belowThreshold: split.fromCredits > 0 && !!settings?.enabled && after < settings.threshold,
    };
  });
}

/**
 * Plan allowance first, then credits; no overage and no partial spend. When only an auto-recharge can
 * cover the spend it is charged first; crossing the threshold triggers one after the spend commits.
 */
export async function spendTokens(deps: BillingDeps, accountId: string, input: SpendInput): Promise<SpendResult> {
  const state = await billingState(deps.database.db, deps.catalog, accountId, deps.now());
  let outcome = await attempt(deps, accountId, state, input, true);
  if (outcome.kind === 'recharge_first') {
    await runAutoRecharge(deps, accountId, 'shortfall');
    outcome = await attempt(deps, accountId, state, input, false);
    if (outcome.kind === 'recharge_first') throw insufficientCredits(input.amount, 0);
  }
  if (outcome.belowThreshold) await runAutoRecharge(deps, accountId, 'threshold');
  return outcome.result;
}
