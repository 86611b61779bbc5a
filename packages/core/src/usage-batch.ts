import type { Metric } from './catalog/types';
import { DomainError, isDomainError } from './errors';
import { applyUsage } from './usage';

export interface UsageEventInput {
  id: string;
  metric: Metric;
  quantity: number;
}

export type UsageEventResult =
  | { id: string; status: 'duplicate' }
  | { id: string; status: 'accepted'; used: number; limit: number | null }
  | { id: string; status: 'refused'; used: number; limit: number | null; error: string };

/**
 * Decides a batch of usage events in order against the period's counters: an id already counted (before or
 * earlier in the batch) is a duplicate, an event over its limit is refused and not remembered (the same id may
 * come again once the limit allows it), the rest are accepted. Returns the new counter values of every metric.
 */
export function decideUsageEvents(args: {
  events: readonly UsageEventInput[];
  used: ReadonlyMap<Metric, number>;
  limits: Readonly<Record<Metric, number | null>>;
  counted: ReadonlySet<string>;
}): { results: UsageEventResult[]; accepted: UsageEventInput[]; used: Map<Metric, number> } {
  const used = new Map(args.used);
  const seen = new Set(args.counted);
  const accepted: UsageEventInput[] = [];
  const results = args.events.map((event): UsageEventResult => {
    if (seen.has(event.id)) return { id: event.id, status: 'duplicate' };
    const limit = args.limits[event.metric];
    const current = used.get(event.metric) ?? 0;
    try {
      const next = applyUsage({ metric: event.metric, used: current, quantity: event.quantity, limit }).used;
      used.set(event.metric, next);
      seen.add(event.id);
      accepted.push(event);
      return { id: event.id, status: 'accepted', used: next, limit };
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return { id: event.id, status: 'refused', used: current, limit, error: err.message };
    }
  });
  return { results, accepted, used };
}

/** How many events of a batch were refused. */
export const refusedCount = (results: readonly UsageEventResult[]): number =>
  results.filter((r) => r.status === 'refused').length;

/**
 * A usage call whose every event was refused (nothing recorded) is itself refused: PLAN_LIMIT_REACHED, carrying
 * the per-event results in `details.answer` for the answer's body. Null when anything was accepted or a duplicate.
 */
export function usageRefusal(results: readonly UsageEventResult[]): DomainError | null {
  const refused = results.filter((r): r is Extract<UsageEventResult, { status: 'refused' }> => r.status === 'refused');
  if (results.length === 0 || refused.length < results.length) return null;
  const first = refused[0]!;
  const message =
    refused.length === 1
      ? `${first.error}; nothing was recorded`
      : `All ${refused.length} events were refused (${first.error}, …); nothing was recorded`;
  return new DomainError('PLAN_LIMIT_REACHED', message, { answer: { results, refused: refused.length } });
}

/**
 * Whether decideUsageEvents could refuse any event of the batch: one it would refuse whatever the counters
 * (a count of zero or less), or a metric whose used amount plus every positive quantity of the batch passes
 * its limit (or 2^53, where an unlimited counter stops). Below that no running total can pass it, whatever
 * the order, the duplicates and the shrinking storage deltas: a caller may then write the batch before deciding.
 */
export function mayRefuse(
  events: readonly UsageEventInput[],
  used: ReadonlyMap<Metric, number>,
  limits: Readonly<Record<Metric, number | null>>,
): boolean {
  const added = new Map<Metric, number>();
  for (const e of events) {
    if (e.metric !== 'storage' && e.quantity <= 0) return true;
    if (e.quantity > 0) added.set(e.metric, (added.get(e.metric) ?? 0) + e.quantity);
  }
  for (const [metric, sum] of added) {
    const limit = Math.min(limits[metric] ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if ((used.get(metric) ?? 0) + sum > limit) return true;
  }
  return false;
}
