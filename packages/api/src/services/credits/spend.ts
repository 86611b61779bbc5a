import { type DomainError, rechargePausedRefusal } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { readAutoRechargeState } from './auto-recharge-state';
import { runAutoRecharge } from './auto-recharge-run';
import type { SpendRequest, SpendResult } from './spend-batch';
import { spendQueueOf } from './spend-queue';

export type SpendInput = Omit<SpendRequest, 'accountId'>;

/** A spend refused for want of credits while auto-recharge is paused says so, and why (read only then). */
async function explainRefusal(deps: BillingDeps, accountId: string, error: DomainError): Promise<DomainError> {
  if (error.code !== 'INSUFFICIENT_CREDITS') return error;
  const recharge = await readAutoRechargeState(deps, accountId);
  return recharge.pausedReason === null ? error : rechargePausedRefusal(error, recharge.pausedReason);
}

/**
 * Plan allowance first, then credits; no overage and no partial spend. When only an auto-recharge can
 * cover the spend it is charged first and the spend tried once more; crossing the threshold triggers one
 * after the spend has committed (the auto-recharge rules decide whether it really runs).
 */
export async function spendTokens(deps: BillingDeps, accountId: string, input: SpendInput): Promise<SpendResult> {
  const queue = spendQueueOf(deps);
  const request = { accountId, ...input };
  let outcome = await queue.submit(request);
  if (outcome.kind === 'recharge') {
    await runAutoRecharge(deps, accountId, 'shortfall');
    outcome = await queue.submit(request);
  }
  if (outcome.kind !== 'spent') throw await explainRefusal(deps, accountId, outcome.error);
  if (outcome.belowThreshold) await runAutoRecharge(deps, accountId, 'threshold');
  return outcome.result;
}
