import { type Executor, pgArray, queryRows } from '@contox/db';
import { sql } from 'drizzle-orm';

/**
 * Adds `n` to each key's count in the database's current one-minute window (n = 0 only reads it), in one
 * statement: every server process on the database counts into the same rows, atomically. Keys are distinct.
 */
export async function addToRateWindows(
  db: Executor,
  keys: string[],
  ns: number[],
): Promise<{ windowStart: Date; counts: Map<string, number> }> {
  const rows = await queryRows<{ key: string; count: number; window_start: Date | string }>(
    db,
    sql`with input as (select * from unnest(${pgArray(keys)}::text[], ${pgArray(ns)}::int[]) as t(key, n)),
      w as (select date_trunc('minute', now()) as start),
      up as (
        insert into rate_limit_counters (key, window_start, count)
        select key, (select start from w), n from input where n > 0
        on conflict (key, window_start) do update set count = rate_limit_counters.count + excluded.count
        returning key, count
      )
      select i.key, coalesce(up.count, c.count, 0)::int as count, (select start from w) as window_start
      from input i
      left join up on up.key = i.key
      left join rate_limit_counters c on up.key is null and c.key = i.key and c.window_start = (select start from w)`,
  );
  const windowStart = new Date(rows[0]?.window_start ?? Date.now());
  return { windowStart, counts: new Map(rows.map((r) => [r.key, Number(r.count)])) };
}

/** Drops the windows before the previous minute: nothing reads them any more. */
export async function sweepRateWindows(db: Executor): Promise<void> {
  await db.execute(
    sql`delete from rate_limit_counters where window_start < date_trunc('minute', now()) - interval '1 minute'`,
  );
}
