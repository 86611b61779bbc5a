import { type Metric, TOKENS_METRIC } from '@contox/core';
import { type Database, type Executor, pgArray, queryBuilt, queryRows, runStatement, schema } from '@contox/db';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
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

/**
 * Creates-or-locks the period's counters of `metrics` (and the storage level), returning what each has used.
 * Its statements are sent at once (pipelined, run in order); a statement issued right after this call runs
 * once the locks are held. Locked in metric order, so two batches of one account never wait on each other
 * in a cycle.
 */
export async function lockUsageCounters(
  tx: Executor,
  accountId: string,
  periodStart: Date,
  metrics: Metric[],
): Promise<Map<Metric, number>> {
  const counted = metrics.filter((m) => m !== 'storage').sort();
  const [counters, storage] = await Promise.all([
    counted.length === 0 ? [] : lockPeriodCounters(tx, accountId, periodStart, counted),
    metrics.includes('storage') ? lockStorageLevel(tx, accountId) : null,
  ]);
  const used = new Map<Metric, number>();
  for (const r of counters) used.set(r.metric, Number(r.used));
  if (storage !== null) used.set('storage', storage);
  return used;
}

async function lockPeriodCounters(tx: Executor, accountId: string, periodStart: Date, metrics: Metric[]) {
  const start = periodStart.toISOString();
  const [, rows] = await Promise.all([
    runStatement(
      tx,
      sql`insert into usage_counters (account_id, metric, period_start, used)
          select ${accountId}, m, ${start}::timestamptz, 0 from unnest(${pgArray(metrics)}::text[]) as m
          on conflict do nothing`,
    ),
    queryRows<{ metric: Metric; used: string | number }>(
      tx,
      sql`select metric, used from usage_counters
           where account_id = ${accountId} and period_start = ${start}::timestamptz
             and metric = any(${pgArray(metrics)}::text[])
           order by metric for update`,
    ),
  ]);
  return rows;
}

/** Creates-or-locks the account's storage level (pipelined as lockUsageCounters' statements are). */
async function lockStorageLevel(tx: Executor, accountId: string): Promise<number> {
  const [, rows] = await Promise.all([
    runStatement(
      tx,
      sql`insert into storage_levels (account_id, bytes) values (${accountId}, 0) on conflict do nothing`,
    ),
    queryRows<{ bytes: string | number }>(
      tx,
      sql`select bytes from storage_levels where account_id = ${accountId} for update`,
    ),
  ]);
  return Number(rows[0]?.bytes ?? 0);
}

/**
 * Writes locked counters' new values, one statement for the period's counters and one for the storage level
 * (a level kept per account, not per period).
 */
export async function setUsageCounters(
  tx: Executor,
  accountId: string,
  periodStart: Date,
  used: ReadonlyMap<Metric, number>,
): Promise<void> {
  const counted = [...used].filter(([m]) => m !== 'storage');
  const bytes = used.get('storage');
  await Promise.all([
    counted.length === 0
      ? null
      : runStatement(
          tx,
          sql`update usage_counters c set used = v.used
                from unnest(${pgArray(counted.map(([m]) => m))}::text[], ${pgArray(counted.map(([, u]) => u))}::bigint[])
                     as v(metric, used)
               where c.account_id = ${accountId} and c.period_start = ${periodStart.toISOString()}::timestamptz
                 and c.metric = v.metric`,
        ),
    bytes === undefined
      ? null
      : runStatement(tx, sql`update storage_levels set bytes = ${bytes} where account_id = ${accountId}`),
  ]);
}

/** Adds quantities and event counts to the account's per-day rows of `now`'s day. */
export async function addDailyUsage(
  tx: Executor,
  accountId: string,
  now: Date,
  perMetric: { metric: Metric; quantity: number; events: number }[],
) {
  if (perMetric.length === 0) return;
  await runStatement(
    tx,
    sql`insert into usage_daily (account_id, metric, day, quantity, events)
        select ${accountId}, v.metric, ${day(now)}, v.quantity, v.events
          from unnest(${pgArray(perMetric.map((d) => d.metric))}::text[], ${pgArray(perMetric.map((d) => d.quantity))}::bigint[],
                      ${pgArray(perMetric.map((d) => d.events))}::int[]) as v(metric, quantity, events)
        on conflict (account_id, metric, day) do update
          set quantity = usage_daily.quantity + excluded.quantity, events = usage_daily.events + excluded.events`,
  );
}

// ---- The spend batch's token counters (the plan allowance used per period) ----
// Usage counters by table, but only the spend batch creates them this way, over arrays, for many accounts at
// once (it locks the existing ones with its prior spends and sets them with its writes: ledger.ts). Rendered
// once, as ledger.ts' batch statements are.

export interface TokenCounterPeriod {
  accountId: string;
  periodStart: Date;
}

const lockCountersStatement = () =>
  sql`insert into usage_counters (account_id, metric, period_start, used)
      select v.account_id, ${TOKENS_METRIC}, v.period_start, 0
        from unnest(${sql.placeholder('ids')}::text[], ${sql.placeholder('starts')}::timestamptz[]) with ordinality
             as v(account_id, period_start, n)
       order by v.n
      on conflict (account_id, metric, period_start) do update set used = usage_counters.used
      returning account_id, used`;

/** Creates-or-locks each account's token counter for its period in one statement; the tokens used by id. */
export async function lockTokenCounters(tx: Executor, periods: TokenCounterPeriod[]): Promise<Map<string, number>> {
  const rows = await queryBuilt<{ account_id: string; used: string | number }>(tx, lockCountersStatement, {
    ids: pgArray(periods.map((p) => p.accountId)),
    starts: pgArray(periods.map((p) => p.periodStart.toISOString())),
  });
  return new Map(rows.map((r) => [r.account_id, Number(r.used)]));
}
