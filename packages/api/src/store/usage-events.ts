import { type Executor, pgArray, queryRows, runStatement } from '@contox/db';
import type { Metric } from '@contox/core';
import { sql } from 'drizzle-orm';

// The rows of usage_events: one per counted event id, the key (account, event id) being the duplicate check.

export interface AcceptedEvent {
  id: string;
  metric: Metric;
  quantity: number;
}

/** A text array literal: the values joined as they are when none needs escaping (event ids rarely do). */
function textArray(values: readonly string[]): string {
  const joined = values.join('","');
  return values.length === 0 || /["\\]/.test(joined) ? pgArray(values) : `{"${joined}"}`;
}

/**
 * The three columns of a batch as array parameters (one statement text, prepared once, whatever the size),
 * sent small: each metric as its position in the batch's list of metrics, numbers unquoted.
 */
function eventArrays(events: readonly AcceptedEvent[]) {
  const ids: string[] = new Array(events.length);
  const names: Metric[] = [];
  const metrics: number[] = new Array(events.length);
  const quantities: number[] = new Array(events.length);
  events.forEach((e, i) => {
    ids[i] = e.id;
    let m = names.indexOf(e.metric);
    if (m < 0) m = names.push(e.metric) - 1;
    metrics[i] = m + 1;
    quantities[i] = e.quantity;
  });
  return { ids: textArray(ids), names: pgArray(names), metrics: `{${metrics}}`, quantities: `{${quantities}}` };
}

/** Which of `ids` the account has already counted. */
export async function findKnownEventIds(tx: Executor, accountId: string, ids: string[]): Promise<Set<string>> {
  const known = await queryRows<{ event_id: string }>(
    tx,
    sql`select event_id from usage_events where account_id = ${accountId} and event_id = any(${textArray(ids)}::text[])`,
  );
  return new Set(known.map((k) => k.event_id));
}

const insertEvents = (accountId: string, periodStart: Date, now: Date, events: readonly AcceptedEvent[]) => {
  const { ids, names, metrics, quantities } = eventArrays(events);
  return sql`insert into usage_events (account_id, event_id, metric, quantity, period_start, outcome, created_at)
    select ${accountId}, v.event_id, (${names}::text[])[v.metric], v.quantity,
           ${periodStart.toISOString()}::timestamptz, 'accepted', ${now.toISOString()}::timestamptz
      from unnest(${ids}::text[], ${metrics}::int[], ${quantities}::bigint[]) as v(event_id, metric, quantity)`;
};

/** Inserts accepted events, none of whose ids the account has. */
export async function insertUsageEvents(
  tx: Executor,
  accountId: string,
  periodStart: Date,
  now: Date,
  events: readonly AcceptedEvent[],
): Promise<void> {
  await runStatement(tx, insertEvents(accountId, periodStart, now, events));
}

// postgres.js hands the server's error on as it is; drizzle (PGlite) wraps it, keeping it as the cause.
const isUniqueViolation = (err: unknown) =>
  [err, (err as { cause?: unknown } | null)?.cause].some((e) => (e as { code?: unknown } | null)?.code === '23505');

/**
 * Inserts events, their ids distinct, as if none were known yet, which is what a batch usually is: a plain
 * insert, without looking the ids up first. Their key refuses a known id (also one a concurrent batch inserts:
 * the insert waits for it to commit), and everything goes back to the savepoint: false, nothing inserted.
 * Measured for 1,000 events: ~8.7 ms of backend CPU, against ~11.8 ms with the lookup in the same statement
 * and ~13 ms for `on conflict do nothing`, whose speculative insertion costs more per row than the lookup.
 */
export async function insertIfAllNew(
  tx: Executor,
  accountId: string,
  periodStart: Date,
  now: Date,
  events: readonly AcceptedEvent[],
): Promise<boolean> {
  try {
    // A nested transaction is a savepoint: postgres.js fails the whole transaction on any error outside one.
    await tx.transaction((savepoint) => runStatement(savepoint, insertEvents(accountId, periodStart, now, events)));
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
