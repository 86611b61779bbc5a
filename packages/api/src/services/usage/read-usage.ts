import { METRICS, type Metric, type TOKENS_METRIC } from '@contox/core';
import type { Database } from '@contox/db';
import { readPeriodCounters } from '../../store/usage';
import type { BillingState } from '../accounts/billing-state';
import { apiTime } from '../../time';

export async function readCounters(
  db: Database,
  accountId: string,
  periodStart: Date,
): Promise<Record<Metric | typeof TOKENS_METRIC, number>> {
  const { counters, storageBytes } = await readPeriodCounters(db, accountId, periodStart);
  const counts = { sessions: 0, events: 0, enrichments: 0, storage: storageBytes, tokens: 0 };
  for (const r of counters)
    if (r.metric in counts && r.metric !== 'storage') counts[r.metric as keyof typeof counts] = r.used;
  return counts;
}

export async function readUsage(db: Database, accountId: string, state: BillingState) {
  const counts = await readCounters(db, accountId, state.period.start);
  const usage = Object.fromEntries(METRICS.map((m) => [m, { used: counts[m], limit: state.plan.limits[m] }])) as Record<
    Metric,
    { used: number; limit: number | null }
  >;
  return {
    plan: state.plan.id,
    period: { start: apiTime(state.period.start), end: apiTime(state.period.end) },
    usage,
  };
}
