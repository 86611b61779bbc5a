import { type Metric, TOKENS_METRIC } from '@contox/core';
import { type Database, type Executor, pgArray, queryRows, runStatement, schema } from '@contox/db';
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

// The drivers differ: postgres.js returns dates and PGlite may return strings for raw statements.
const asDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

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
  await runStatement(
    tx,
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

// ---- The spend batch's token counters (the plan allowance used per period) ----
// Usage counters by table, but only the spend batch writes them this way: locked and set with the balances,
// over arrays, for many accounts at once.

export interface TokenCounterPeriod {
  accountId: string;
  periodStart: Date;
}

/** Creates-or-locks each account's token counter for its period in one statement; the tokens used by id. */
export async function lockTokenCounters(tx: Executor, periods: TokenCounterPeriod[]): Promise<Map<string, number>> {
  const ids = pgArray(periods.map((p) => p.accountId));
  const starts = pgArray(periods.map((p) => p.periodStart.toISOString()));
  const rows = await queryRows<{ account_id: string; used: string | number }>(
    tx,
    sql`insert into usage_counters (account_id, metric, period_start, used)
        select v.account_id, ${TOKENS_METRIC}, v.period_start, 0
          from unnest(${ids}::text[], ${starts}::timestamptz[]) with ordinality as v(account_id, period_start, n)
         order by v.n
        on conflict (account_id, metric, period_start) do update set used = usage_counters.used
        returning account_id, used`,
  );
  return new Map(rows.map((r) => [r.account_id, Number(r.used)]));
}

/**
 * Locks the token counters that already exist for these periods (no row is created), so the lock can
 * travel with the balance locks; by id, the period start in ms and the tokens used.
 */
export async function lockExistingTokenCounters(
  tx: Executor,
  periods: TokenCounterPeriod[],
): Promise<Map<string, { start: number; used: number }>> {
  if (periods.length === 0) return new Map();
  const ids = pgArray(periods.map((p) => p.accountId));
  const starts = pgArray(periods.map((p) => p.periodStart.toISOString()));
  const rows = await queryRows<{ account_id: string; period_start: string | Date; used: string | number }>(
    tx,
    sql`select c.account_id, c.period_start, c.used from usage_counters c
          join unnest(${ids}::text[], ${starts}::timestamptz[]) as v(account_id, period_start)
            on c.account_id = v.account_id and c.period_start = v.period_start
         where c.metric = ${TOKENS_METRIC}
         order by c.account_id for update of c`,
  );
  return new Map(rows.map((r) => [r.account_id, { start: asDate(r.period_start).getTime(), used: Number(r.used) }]));
}

/** Sets many accounts' token counters for their periods in one statement. */
export async function setTokenCounters(
  tx: Executor,
  counters: (TokenCounterPeriod & { used: number })[],
): Promise<void> {
  await runStatement(
    tx,
    sql`update usage_counters c set used = v.used
          from unnest(${pgArray(counters.map((c) => c.accountId))}::text[],
                      ${pgArray(counters.map((c) => c.periodStart.toISOString()))}::timestamptz[],
                      ${pgArray(counters.map((c) => c.used))}::bigint[]) as v(account_id, period_start, used)
         where c.account_id = v.account_id and c.metric = ${TOKENS_METRIC} and c.period_start = v.period_start`,
  );
}
