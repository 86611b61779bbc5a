import {
  decideUsageEvents,
  type Metric,
  refusedCount,
  type UsageEventInput,
  type UsageEventResult,
  usageRefusal,
} from '@contox/core';
import { billingState } from '../accounts/billing-state';
import type { BillingDeps } from '../../deps';
import {
  addDailyUsage,
  findKnownEventIds,
  insertUsageEvents,
  lockUsageCounters,
  setUsageCounter,
} from '../../store/usage';
import { emitUsageCrossings } from '../outbox/usage-events';

export interface RecordedUsage {
  /** One per event, in the order sent. */
  results: UsageEventResult[];
  /** How many of them were refused (a limit reached): a mixed call is answered, and says so. */
  refused: number;
}

const COUNTED: Metric[] = ['sessions', 'events', 'enrichments'];

function dailyTotals(accepted: UsageEventInput[]) {
  return COUNTED.map((metric) => {
    const of = accepted.filter((e) => e.metric === metric);
    return { metric, quantity: of.reduce((s, e) => s + e.quantity, 0), events: of.length };
  }).filter((d) => d.events > 0);
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
  const state = await billingState(db, deps.catalog, accountId, now);
  const periodStart = state.period.start;
  const metrics = [...new Set(events.map((e) => e.metric))];

  return db.transaction(async (tx) => {
    const locked = await lockUsageCounters(tx, accountId, periodStart, metrics);
    const counted = await findKnownEventIds(tx, accountId, [...new Set(events.map((e) => e.id))]);
    const { results, accepted, used } = decideUsageEvents({ events, used: locked, limits: state.plan.limits, counted });
    if (accepted.length === 0) return results;
    await insertUsageEvents(tx, accountId, periodStart, now, accepted);
    for (const metric of new Set(accepted.map((e) => e.metric))) {
      await setUsageCounter(tx, accountId, periodStart, metric, used.get(metric) ?? 0);
    }
    await addDailyUsage(tx, accountId, now, dailyTotals(accepted));
    const limits = state.plan.limits;
    await emitUsageCrossings(tx, { accountId, period: state.period, limits, before: locked, after: used, now });
    return results;
  });
}
