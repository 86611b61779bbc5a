import { METRICS, type Metric, type TOKENS_METRIC } from '@contox/core';
import { type Database, schema } from '@contox/db';
import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../store/prepared';
import type { BillingState } from '../accounts/billing-state';
import { apiTime } from '../time';

const countersQuery = (db: Database) =>
  db
    .select({ metric: schema.usageCounters.metric, used: schema.usageCounters.used })
    .from(schema.usageCounters)
    .where(
      and(
        eq(schema.usageCounters.accountId, sql.placeholder('accountId')),
        eq(schema.usageCounters.periodStart, sql.placeholder('periodStart')),
      ),
    )
    .prepare('usage_counters_of_period');

const storageQuery = (db: Database) =>
  db
    .select({ bytes: schema.storageLevels.bytes })
    .from(schema.storageLevels)
    .where(eq(schema.storageLevels.accountId, sql.placeholder('accountId')))
    .prepare('storage_level');

export async function readCounters(
  db: Database,
  accountId: string,
  periodStart: Date,
): Promise<Record<Metric | typeof TOKENS_METRIC, number>> {
  const [rows, [storage]] = await Promise.all([
    // As text: a placeholder skips Drizzle's column encoding, and postgres.js sends no Date as it is.
    prepared(db, 'usage_counters_of_period', countersQuery).execute({
      accountId,
      periodStart: periodStart.toISOString(),
    }),
    prepared(db, 'storage_level', storageQuery).execute({ accountId }),
  ]);
  const counts = { sessions: 0, events: 0, enrichments: 0, storage: storage?.bytes ?? 0, tokens: 0 };
  for (const r of rows)
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
