import type { Metric, Plan } from './catalog/types';
import { invalidInput, planLimitReached } from './errors';
import { requireNonNegativeInteger, requirePositiveInteger } from './integers';

/**
 * One usage record, all or nothing. Storage is a level: its quantity is a signed delta, and shrinking is
 * always accepted, even above the limit (after a downgrade the customer must be able to clean up).
 */
export function applyUsage(args: { metric: Metric; used: number; quantity: number; limit: number | null }): {
  used: number;
} {
  const { metric, quantity, limit } = args;
  const used = requireNonNegativeInteger(args.used, 'used');
  if (limit !== null) requireNonNegativeInteger(limit, 'limit');
  if (metric === 'storage') {
    if (!Number.isSafeInteger(quantity)) throw invalidInput(`quantity must be an integer, got ${String(quantity)}`);
  } else {
    requirePositiveInteger(quantity, 'quantity');
  }
  const next = used + quantity;
  if (quantity > 0 && limit !== null && next > limit) throw planLimitReached(metric, used, limit, quantity);
  // An unlimited counter still has to stay an exact integer in JSON: the event that would cross 2^53 is refused.
  if (quantity > 0 && next > Number.MAX_SAFE_INTEGER) {
    throw planLimitReached(metric, used, Number.MAX_SAFE_INTEGER, quantity);
  }
  return { used: Math.max(0, next) };
}

/** Tokens of the plan's allowance left this period; `null` = unlimited. */
export function allowanceRemaining(plan: Plan, usedThisPeriod: number): number | null {
  requireNonNegativeInteger(usedThisPeriod, 'usedThisPeriod');
  return plan.tokenAllowance === null ? null : Math.max(0, plan.tokenAllowance - usedThisPeriod);
}
