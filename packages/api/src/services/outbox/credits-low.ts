import type { Executor } from '@contox/db';
import { type EventToEmit, emitEvents } from './emit-event';

/** One account of a spend batch: what it had to spend before the batch and after, and its alert threshold. */
export interface AvailableChange {
  accountId: string;
  /** Null when the account has no alert. */
  threshold: number | null;
  balanceBefore: number;
  balanceAfter: number;
  /** Plan allowance left this period; null when unlimited. */
  allowanceBefore: number | null;
  allowanceAfter: number | null;
}

/**
 * Whether the tokens an account can spend (credits plus allowance left) went from at or above its threshold
 * to below it: one comparison, so a spend batch pays nothing for it unless an account crossed. Once per
 * crossing: the next one needs the account back at or above the threshold first (a purchase, a new period).
 */
export function crossedBelow(c: AvailableChange): boolean {
  if (c.threshold === null || c.allowanceAfter === null || c.allowanceBefore === null) return false;
  return c.balanceBefore + c.allowanceBefore >= c.threshold && c.balanceAfter + c.allowanceAfter < c.threshold;
}

/** `credits.low` for each account of the batch that crossed its threshold, in the batch's transaction. */
export function emitCreditsLow(tx: Executor, changes: AvailableChange[], now: Date): Promise<void> {
  const events = changes.filter(crossedBelow).map(
    (c): EventToEmit => ({
      accountId: c.accountId,
      type: 'credits.low',
      data: {
        balance: c.balanceAfter,
        allowanceRemaining: c.allowanceAfter,
        available: c.balanceAfter + (c.allowanceAfter ?? 0),
        threshold: c.threshold,
      },
    }),
  );
  return events.length === 0 ? Promise.resolve() : emitEvents(tx, events, now);
}
