import { METRICS, type Metric, type TOKENS_METRIC } from '@contox/core';
import type { Database } from '@contox/db';
import { readPeriodCounters } from '../../store/usage';
import type { BillingDeps } from '../../deps';
import { apiTime } from '../../time';
import { billingState } from '../accounts/billing-state';

export interface Meter {
  used: number;
  /** null: unlimited. */
  limit: number | null;
}

export interface UsageView {
  plan: string;
  period: { start: string; end: string };
  usage: Record<Metric, Meter>;
}

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

/** Usage this period against the plan's limits (storage is a level in bytes). */
export async function readUsage(
  deps: Pick<BillingDeps, 'database' | 'catalog' | 'now'>,
  accountId: string,
): Promise<UsageView> {
  const { db } = deps.database;
  const state = await billingState(db, deps.catalog, accountId, deps.now());
  const counts = await readCounters(db, accountId, state.period.start);
  const usage = Object.fromEntries(METRICS.map((m) => [m, { used: counts[m], limit: state.plan.limits[m] }])) as Record<
    Metric,
    Meter
  >;
  return {
    plan: state.plan.id,
    period: { start: apiTime(state.period.start), end: apiTime(state.period.end) },
    usage,
  };
}
