import type { Metric } from '@contox/core';
import { type Database, type Executor, pgArray, queryRows, schema } from '@contox/db';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { prepared } from './prepared';

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

/** Every counter of the period (by metric name) and the storage level, read together. */
export async function readPeriodCounters(db: Database, accountId: string, periodStart: Date) {
  const [counters, [storage]] = await Promise.all([
    // As text: a placeholder skips Drizzle's column encoding, and postgres.js sends no Date as it is.
    prepared(db, 'usage_counters_of_period', countersQuery).execute({
      accountId,
      periodStart: periodStart.toISOString(),
    }),
    prepared(db, 'storage_level', storageQuery).execute({ accountId }),
  ]);
  return { counters, storageBytes: storage?.bytes ?? 0 };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The per-day usage rows of `[start, end)`. */
export function readDailyUsage(db: Executor, accountId: string, start: Date, end: Date) {
  return db
    .select()
    .from(schema.usageDaily)
    .where(
      and(
        eq(schema.usageDaily.accountId, accountId),
        gte(schema.usageDaily.day, day(start)),
        lt(schema.usageDaily.day, day(end)),
      ),
    );
}

/** Creates-or-locks the period's counters of `metrics` (and the storage level), returning what each has used. */
export async function lockUsageCounters(tx: Executor, accountId: string, periodStart: Date, metrics: Metric[]) {
  const used = new Map<Metric, number>();
  const counted = metrics.filter((m) => m !== 'storage');
  if (counted.length) {
    await tx
      .insert(schema.usageCounters)
      .values(counted.map((metric) => ({ accountId, metric, periodStart, used: 0 })))
      .onConflictDoNothing();
    const rows = await tx
      .select({ metric: schema.usageCounters.metric, used: schema.usageCounters.used })
      .from(schema.usageCounters)
      .where(
        and(
          eq(schema.usageCounters.accountId, accountId),
          eq(schema.usageCounters.periodStart, periodStart),
          inArray(schema.usageCounters.metric, counted),
        ),
      )
      .for('update');
    for (const r of rows) used.set(r.metric as Metric, r.used);
  }
  if (metrics.includes('storage')) {
    await tx.insert(schema.storageLevels).values({ accountId, bytes: 0 }).onConflictDoNothing();
    const [row] = await tx
      .select({ bytes: schema.storageLevels.bytes })
      .from(schema.storageLevels)
      .where(eq(schema.storageLevels.accountId, accountId))
      .for('update');
    used.set('storage', row?.bytes ?? 0);
  }
  return used;
}

/** Which of `ids` the account has already counted. */
export async function findKnownEventIds(tx: Executor, accountId: string, ids: string[]): Promise<Set<string>> {
  // Arrays, not a list of 1,000 parameters: one statement text, prepared once, whatever the batch size.
  const known = await queryRows<{ event_id: string }>(
    tx,
    sql`select event_id from usage_events where account_id = ${accountId} and event_id = any(${pgArray(ids)}::text[])`,
  );
  return new Set(known.map((k) => k.event_id));
}

export interface AcceptedEvent {
  id: string;
  metric: Metric;
  quantity: number;
}

export async function insertUsageEvents(
  tx: Executor,
  accountId: string,
  periodStart: Date,
  now: Date,
  events: AcceptedEvent[],
) {
  await tx.execute(
    sql`insert into usage_events (account_id, event_id, metric, quantity, period_start, outcome, created_at)
        select ${accountId}, v.event_id, v.metric, v.quantity, ${periodStart.toISOString()}::timestamptz, 'accepted',
               ${now.toISOString()}::timestamptz
          from unnest(${pgArray(events.map((e) => e.id))}::text[], ${pgArray(events.map((e) => e.metric))}::text[],
                      ${pgArray(events.map((e) => e.quantity))}::bigint[]) as v(event_id, metric, quantity)`,
  );
}

/** Writes a locked counter's new value (storage is a level kept per account, not per period). */
export async function setUsageCounter(
  tx: Executor,
  accountId: string,
  periodStart: Date,
  metric: Metric,
  used: number,
) {
  if (metric === 'storage') {
    await tx.update(schema.storageLevels).set({ bytes: used }).where(eq(schema.storageLevels.accountId, accountId));
    return;
  }
  await tx
    .update(schema.usageCounters)
    .set({ used })
    .where(
      and(
        eq(schema.usageCounters.accountId, accountId),
        eq(schema.usageCounters.metric, metric),
        eq(schema.usageCounters.periodStart, periodStart),
      ),
    );
}

/** Adds quantities and event counts to the account's per-day rows of `now`'s day. */
export async function addDailyUsage(
  tx: Executor,
  accountId: string,
  now: Date,
  perMetric: { metric: Metric; quantity: number; events: number }[],
) {
  if (perMetric.length === 0) return;
  await tx
    .insert(schema.usageDaily)
    .values(perMetric.map((d) => ({ accountId, day: day(now), ...d })))
    .onConflictDoUpdate({
      target: [schema.usageDaily.accountId, schema.usageDaily.metric, schema.usageDaily.day],
      set: {
        quantity: sql`${schema.usageDaily.quantity} + excluded.quantity`,
        events: sql`${schema.usageDaily.events} + excluded.events`,
      },
    });
}
