import { METRICS, type Metric } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { and, eq } from 'drizzle-orm';
import type { BillingState } from '../accounts/billing-state';
import { apiTime } from '../time';

export const TOKENS_METRIC = 'tokens';

export async function readCounters(
  db: Executor,
  accountId: string,
  periodStart: Date,
): Promise<Record<Metric | typeof TOKENS_METRIC, number>> {
  const rows = await db
    .select({ metric: schema.usageCounters.metric, used: schema.usageCounters.used })
    .from(schema.usageCounters)
    .where(and(eq(schema.usageCounters.accountId, accountId), eq(schema.usageCounters.periodStart, periodStart)));
  const [storage] = await db
    .select({ bytes: schema.storageLevels.bytes })
    .from(schema.storageLevels)
    .where(eq(schema.storageLevels.accountId, accountId));
  const counts = { sessions: 0, events: 0, enrichments: 0, storage: storage?.bytes ?? 0, tokens: 0 };
  for (const r of rows) if (r.metric in counts && r.metric !== 'storage') counts[r.metric as keyof typeof counts] = r.used;
  return counts;
}

export async function readUsage(db: Executor, accountId: string, state: BillingState) {
  const counts = await readCounters(db, accountId, state.period.start);
  const usage = Object.fromEntries(
    METRICS.map((m) => [m, { used: counts[m], limit: state.plan.limits[m] }]),
  ) as Record<Metric, { used: number; limit: number | null }>;
  return {
    plan: state.plan.id,
    period: { start: apiTime(state.period.start), end: apiTime(state.period.end) },
    usage,
  };
}
