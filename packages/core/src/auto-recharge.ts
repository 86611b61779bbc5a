import { getPack } from './catalog/catalog';
import type { Catalog, Pack, PackId, Plan } from './catalog/types';
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
