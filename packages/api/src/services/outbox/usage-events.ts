import type { Metric } from '@contox/core';
import type { Executor } from '@contox/db';
import { apiTime } from '../../time';
import { type EventToEmit, emitEvents } from './emit-event';

/** Share of a limit at which `usage.limit_approaching` is sent. */
export const APPROACHING_SHARE = 0.8;

interface UsageChange {
  accountId: string;
  period: { start: Date; end: Date };
  limits: Partial<Record<Metric, number | null>>;
  before: Map<Metric, number>;
  after: Map<Metric, number>;
}

/**
 * `usage.limit_approaching` (80 %) and `usage.limit_reached` (100 %) for each metric whose count crossed the mark
 * with this batch: counters only grow within a period, so each is sent once per metric and period (storage, a
 * level, once per upward crossing). Unlimited metrics never cross.
 */
export function usageCrossings(c: UsageChange): EventToEmit[] {
  const events: EventToEmit[] = [];
  for (const [metric, used] of c.after) {
    const limit = c.limits[metric];
    const was = c.before.get(metric) ?? 0;
    if (limit === null || limit === undefined || limit <= 0) continue;
    const data = { metric, used, limit, period: { start: apiTime(c.period.start), end: apiTime(c.period.end) } };
    const mark = Math.ceil(limit * APPROACHING_SHARE);
    if (was < mark && used >= mark && used < limit) {
      events.push({ accountId: c.accountId, type: 'usage.limit_approaching', data });
    }
    if (was < limit && used >= limit) events.push({ accountId: c.accountId, type: 'usage.limit_reached', data });
  }
  return events;
}

/** The crossings of a usage batch, in its transaction; nothing is written when none crossed. */
export function emitUsageCrossings(tx: Executor, args: UsageChange & { now: Date }): Promise<void> {
  const events = usageCrossings(args);
  return events.length === 0 ? Promise.resolve() : emitEvents(tx, events, args.now);
}
