import { getPack } from './catalog/catalog';
import type { Catalog, Pack, PackId, Plan } from './catalog/types';
import { DomainError } from './errors';
import { requireNonNegativeInteger } from './integers';

/** Published default: 50.00 EUR of auto-recharge per billing period. */
export const DEFAULT_SPENDING_LIMIT = 5000;

export interface AutoRechargeSettings {
  enabled: boolean;
  /** tokens; recharge when the balance falls below it */
  threshold: number;
  packId: PackId;
  /** euro cents of auto-recharges per usage period */
  spendingLimit: number;
}

export const DEFAULT_AUTO_RECHARGE: AutoRechargeSettings = Object.freeze({
  enabled: false,
  threshold: 500_000,
  packId: 'credits_2_5m',
  spendingLimit: DEFAULT_SPENDING_LIMIT,
});

export type RechargeDecision =
  | { recharge: true; pack: Pack }
  | {
      recharge: false;
      reason: 'disabled' | 'above_threshold' | 'limit_exceeded' | 'credits_not_allowed';
    };

export interface RechargeContext {
  settings: AutoRechargeSettings;
  plan: Plan;
  catalog: Catalog;
  /** cents of auto-recharges this period, succeeded and in flight, so racing recharges cannot overshoot */
  chargedThisPeriod: number;
}

type Refusal = Extract<RechargeDecision, { recharge: false }>;

function refusal(reason: Refusal['reason']): Refusal {
  return { recharge: false, reason };
}

/**
 * Whether a recharge may be charged now, ignoring the threshold: for a spend that cannot be covered, the
 * balance is about to fall below any threshold anyway. Feed the pack's tokens to `planSpend`.
 */
export function decideShortfallRecharge(args: RechargeContext): RechargeDecision {
  return decide(args, false);
}

/** Run after every balance change: recharge once the balance is below the threshold, within the spending limit. */
export function decideAutoRecharge(args: RechargeContext & { balance: number }): RechargeDecision {
  const balance = requireNonNegativeInteger(args.balance, 'balance');
  return decide(args, balance >= args.settings.threshold);
}

/** Above the threshold nothing is needed, so the spending limit is only reported below it. */
function decide(args: RechargeContext, aboveThreshold: boolean): RechargeDecision {
  const { settings, plan, catalog } = args;
  const chargedThisPeriod = requireNonNegativeInteger(args.chargedThisPeriod, 'chargedThisPeriod');
  if (!plan.creditsAllowed) return refusal('credits_not_allowed');
  if (!settings.enabled) return refusal('disabled');
  if (aboveThreshold) return refusal('above_threshold');
  const pack = getPack(catalog, settings.packId);
  if (chargedThisPeriod + pack.price > settings.spendingLimit) return refusal('limit_exceeded');
  return { recharge: true, pack };
}

/** Whether an enabled auto-recharge can run; `paused` says why not, in words for the account's owner. */
export type AutoRechargeStatus = { status: 'active'; pausedReason: null } | { status: 'paused'; pausedReason: string };

/**
 * An enabled auto-recharge is paused by a failed charge (until another card is saved or the settings are saved
 * again) or by a plan without credits (until a paid plan). A disabled one is simply off: nothing to pause.
 */
export function autoRechargeStatus(args: {
  enabled: boolean;
  plan: Pick<Plan, 'id' | 'creditsAllowed'>;
  /** Why the charge that paused it failed; null when none did. */
  failure: string | null;
}): AutoRechargeStatus {
  if (!args.enabled) return { status: 'active', pausedReason: null };
  if (!args.plan.creditsAllowed) {
    return {
      status: 'paused',
      pausedReason: `The ${args.plan.id} plan has no credits to recharge: auto-recharge resumes on a paid plan`,
    };
  }
  if (args.failure === null) return { status: 'active', pausedReason: null };
  return {
    status: 'paused',
    pausedReason: `The last auto-recharge failed: ${args.failure.trim()} It resumes once another card is saved (billing portal) or the auto-recharge settings are saved again.`,
  };
}

/** A spend refused for want of credits while auto-recharge is paused: the refusal says so, and why. */
export function rechargePausedRefusal(refusal: DomainError, pausedReason: string): DomainError {
  return new DomainError('INSUFFICIENT_CREDITS', `${refusal.message}. Auto-recharge is paused: ${pausedReason}`, {
    ...refusal.details,
    autoRecharge: 'paused',
    pausedReason,
  });
}
