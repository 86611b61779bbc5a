import {
  decideUsageEvents,
  type Metric,
  mayRefuse,
  refusedCount,
  type UsageEventInput,
  type UsageEventResult,
  usageRefusal,
} from '@contox/core';
import type { BillingDeps } from '../../deps';
import { findKnownEventIds, insertIfAllNew, insertUsageEvents } from '../../store/usage-events';
import { addDailyUsage, lockUsageCounters, setUsageCounters } from '../../store/usage';
import { billingState } from '../accounts/billing-state';
import { emitUsageCrossings } from '../outbox/usage-events';

export interface RecordedUsage {
  /** One per event, in the order sent. */
  results: UsageEventResult[];
  /** How many of them were refused (a limit reached): a mixed call is answered, and says so. */
  refused: number;
}

const COUNTED: Metric[] = ['sessions', 'events', 'enrichments'];

/** The accepted events' quantity and number per counted metric, for the day's rows (storage is a level). */
function dailyTotals(accepted: readonly UsageEventInput[]) {
  const totals = new Map<Metric, { quantity: number; events: number }>();
  for (const e of accepted) {
    const t = totals.get(e.metric);
    if (t) {
      t.quantity += e.quantity;
      t.events += 1;
    } else totals.set(e.metric, { quantity: e.quantity, events: 1 });
  }
  return COUNTED.flatMap((metric) => {
    const t = totals.get(metric);
    return t ? [{ metric, ...t }] : [];
  });
}

/** Each id's first event, in order (the batch itself when its ids are distinct, as they usually are). */
function firstOfEachId(events: readonly UsageEventInput[]): readonly UsageEventInput[] {
  const ids = new Set<string>();
  const firsts = events.filter((e) => !ids.has(e.id) && ids.add(e.id));
  return firsts.length === events.length ? events : firsts;
}

/** The new values of the counters the accepted events moved. */
function movedCounters(accepted: readonly UsageEventInput[], used: ReadonlyMap<Metric, number>) {
  const moved = new Map<Metric, number>();
  for (const e of accepted) moved.set(e.metric, used.get(e.metric) ?? 0);
  return moved;
}

/**
 * Applies a batch in order inside one transaction. The counters are locked before the duplicate check,
 * so a concurrent batch carrying the same ids sees them as committed duplicates, never counts them twice.
 * Refused events are not remembered: the same id may be sent again once the limit allows it.
 */
export async function recordUsage(
  deps: BillingDeps,
  accountId: string,
  events: UsageEventInput[],
): Promise<RecordedUsage> {
  const results = await applyUsageEvents(deps, accountId, events);
  // Every event refused: the call itself is refused (402, with the per-event results); a mixed call is answered.
  const refusal = usageRefusal(results);
  if (refusal) throw refusal;
  return { results, refused: refusedCount(results) };
}

async function applyUsageEvents(
  deps: BillingDeps,
  accountId: string,
  events: UsageEventInput[],
): Promise<UsageEventResult[]> {
  const { db } = deps.database;
  const now = deps.now();
  const { period, plan } = await billingState(db, deps.catalog, accountId, now);
  const limits = plan.limits;
  const metrics = [...new Set(events.map((e) => e.metric))];

  return db.transaction(async (tx) => {
    const locked = await lockUsageCounters(tx, accountId, period.start, metrics);
    // A batch that cannot be refused is inserted before deciding, in the bet that none of its ids is known (a
    // retried batch loses it, and is then looked up); one that may be is decided first, so that no refused
    // event is ever stored.
    const firsts = firstOfEachId(events);
    const inserted =
      !mayRefuse(events, locked, limits) && (await insertIfAllNew(tx, accountId, period.start, now, firsts));
    const counted = inserted
      ? new Set<string>()
      : await findKnownEventIds(
          tx,
          accountId,
          firsts.map((e) => e.id),
        );
    const { results, accepted, used } = decideUsageEvents({ events, used: locked, limits, counted });
    // mayRefuse's bound is what makes the early insert right: were an event refused anyway, roll it back.
    if (inserted && results.some((r) => r.status === 'refused')) throw new Error('unrefusable batch refused');
    if (accepted.length === 0) return results;
    // Sent together (pipelined), the outbox write last: it takes the account's sequence row until commit.
    await Promise.all([
      inserted ? null : insertUsageEvents(tx, accountId, period.start, now, accepted),
      setUsageCounters(tx, accountId, period.start, movedCounters(accepted, used)),
      addDailyUsage(tx, accountId, now, dailyTotals(accepted)),
      emitUsageCrossings(tx, { accountId, period, limits, before: locked, after: used, now }),
    ]);
    return results;
  });
}
