import type { Metric } from '@contox/core';
import type { Executor } from '@contox/db';
import { apiTime } from '../../time';
import { type EventToEmit, emitEvents } from './emit-event';

/** Share of a limit at which `usage.limit_approaching` is sent. */
export const APPROACHING_SHARE = 0.8;

/**
 * `usage.limit_approaching` (80 %) and `usage.limit_reached` (100 %) for each metric whose count crossed the mark
 * with this batch: counters only grow within a period, so each is sent once per metric and period. Unlimited
 * metrics never cross.
 */
export function emitUsageCrossings(
  tx: Executor,
  args: {
    accountId: string;
    period: { start: Date; end: Date };
    limits: Partial<Record<Metric, number | null>>;
    before: Map<Metric, number>;
    after: Map<Metric, number>;
    now: Date;
  },
): Promise<void> {
  const events: EventToEmit[] = [];
  for (const [metric, used] of args.after) {
    const limit = args.limits[metric];
    const was = args.before.get(metric) ?? 0;
    if (limit === null || limit === undefined || limit <= 0) continue;
    const data = { metric, used, limit, period: { start: apiTime(args.period.start), end: apiTime(args.period.end) } };
    const mark = Math.ceil(limit * APPROACHING_SHARE);
    if (was < mark && used >= mark && used < limit) {
      events.push({ accountId: args.accountId, type: 'usage.limit_approaching', data });
    }
    if (was < limit && used >= limit) events.push({ accountId: args.accountId, type: 'usage.limit_reached', data });
  }
  return events.length === 0 ? Promise.resolve() : emitEvents(tx, events, args.now);
}
