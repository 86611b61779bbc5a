import { type Executor, queryRows, runStatement } from '@contox/db';
import { sql } from 'drizzle-orm';

// The outgoing-webhook outbox: events written in the transaction of the change that caused them, one delivery
// per subscribed endpoint, claimed by the dispatchers of every process with FOR UPDATE SKIP LOCKED.

/** An event as its emitter built it; the statement adds `sequence` (and `externalId` when the account has one). */
export interface NewEvent {
  id: string;
  accountId: string;
  type: string;
  createdAt: string;
  data: unknown;
}

/**
 * Inserts events with the next per-account sequence numbers, and a pending delivery for every live endpoint
 * that wants each one's type, in one statement. The account's sequence row is taken in account-id order and
 * held until commit, so concurrent emitters of one account get consecutive numbers in commit order. The account
 * rows are key-share locked first (the lock the events' foreign key takes anyway): a transaction holding an
 * account row for update (a subscription sync) then makes an emitter wait before it holds the sequence row the
 * sync will need, never after, so the two cannot deadlock.
 */
export async function insertEvents(tx: Executor, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await runStatement(
    tx,
    sql`with v as (
          select e->>'id' as id, e->>'accountId' as account_id, e->>'type' as type, e as body, n
            from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as t(e, n)
        ), locked as (
          select a.id, a.external_id from accounts a where a.id in (select account_id from v)
           order by a.id for key share of a
        ), counts as (
          select v.account_id, count(*) as k from v join locked l on l.id = v.account_id group by v.account_id
        ), seq as (
          insert into webhook_event_sequences (account_id, last)
          select account_id, k from counts order by account_id
          on conflict (account_id) do update set last = webhook_event_sequences.last + excluded.last
          returning account_id, last
        ), numbered as (
          select v.*, seq.last - count(*) over (partition by v.account_id)
                 + row_number() over (partition by v.account_id order by v.n) as sequence
            from v join seq using (account_id)
        ), ev as (
          insert into webhook_events (id, account_id, type, sequence, payload, created_at)
          select x.id, x.account_id, x.type, x.sequence,
                 x.body || jsonb_build_object('sequence', x.sequence)
                   || case when a.external_id is null then '{}'::jsonb
                           else jsonb_build_object('externalId', a.external_id) end,
                 (x.body->>'createdAt')::timestamptz
            from numbered x join locked a on a.id = x.account_id
          returning id, account_id, type
        )
        insert into webhook_deliveries (account_id, event_id, endpoint_id)
        select ev.account_id, ev.id, p.id from ev
          join webhook_endpoints p on p.deleted_at is null and (ev.type = any(p.events) or '*' = any(p.events))`,
  );
}

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  accountId: string;
  eventId: string;
  endpointId: string;
  /** This attempt's number: the fence its answer is recorded under. */
  attempt: number;
  /** When the delivery was scheduled (the three-day retry window starts here). */
  scheduledAt: Date;
  /** The database's clock at the claim. */
  claimedAt: Date;
  payload: unknown;
  url: string;
  secret: string;
}

interface ClaimRow {
  account_id: string;
  event_id: string;
  endpoint_id: string;
  attempts: number;
  created_at: string | Date;
  claimed_at: string | Date;
  payload: unknown;
  url: string;
  secret: string;
}

const asDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

/**
 * Claims up to `limit` due deliveries: locked rows another dispatcher is claiming are skipped, and each claimed
 * one is pushed `leaseMs` into the future, past the attempt's timeout, so no one takes it while it runs; if this
 * process dies, it is due again once the lease ends.
 */
export async function claimDueDeliveries(
  db: Executor,
  args: { limit: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  const rows = await queryRows<ClaimRow>(
    db,
    sql`update webhook_deliveries d
           set attempts = d.attempts + 1, updated_at = now(),
               next_attempt_at = now() + ${args.leaseMs} * interval '1 millisecond'
          from (select account_id, event_id, endpoint_id from webhook_deliveries
                 where status = 'pending' and next_attempt_at <= now()
                 order by next_attempt_at limit ${args.limit}
                   for update skip locked) c, webhook_events ev, webhook_endpoints p
         where d.account_id = c.account_id and d.event_id = c.event_id and d.endpoint_id = c.endpoint_id
           and ev.account_id = d.account_id and ev.id = d.event_id and p.id = d.endpoint_id
        returning d.account_id, d.event_id, d.endpoint_id, d.attempts, d.created_at, now() as claimed_at, ev.payload, p.url, p.secret`,
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    attempt: Number(r.attempts),
    scheduledAt: asDate(r.created_at),
    claimedAt: asDate(r.claimed_at),
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    url: r.url,
    secret: r.secret,
  }));
}

export interface AttemptRecord {
  accountId: string;
  eventId: string;
  endpointId: string;
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  excerpt: string;
  durationMs: number;
  /** What the delivery becomes: succeeded, failed (gave up), or pending until `nextAttemptAt`. */
  status: 'succeeded' | 'failed' | 'pending';
  nextAttemptAt: Date | null;
}

/**
 * Records an attempt's answer and the delivery's new state, only if this attempt is still the delivery's
 * latest claim (a cancelled delivery or a newer claim wins); false when it was not.
 */
export async function recordAttempt(db: Executor, a: AttemptRecord): Promise<boolean> {
  const next = a.nextAttemptAt?.toISOString() ?? null;
  const rows = await queryRows<{ event_id: string }>(
    db,
    sql`with d as (
          update webhook_deliveries
             set status = ${a.status}, updated_at = now(),
                 next_attempt_at = coalesce(${next}::timestamptz, next_attempt_at)
           where account_id = ${a.accountId} and event_id = ${a.eventId} and endpoint_id = ${a.endpointId}
             and attempts = ${a.attempt} and status = 'pending'
          returning account_id, event_id
        )
        insert into webhook_attempts
          (account_id, event_id, endpoint_id, attempt, attempted_at, status_code, excerpt, duration_ms, next_attempt_at)
        select d.account_id, d.event_id, ${a.endpointId}, ${a.attempt}, ${a.attemptedAt.toISOString()}::timestamptz,
               ${a.statusCode}::integer, ${a.excerpt}, ${Math.round(a.durationMs)}::integer, ${next}::timestamptz
          from d
        returning event_id`,
  );
  return rows.length > 0;
}

/**
 * Delivers an event again to every live endpoint that wants its type: a finished delivery becomes pending and
 * due now with a new three-day window (one still pending keeps its schedule, so an attempt in flight is never
 * doubled); an endpoint added since gets one. False when there is no such event.
 */
export async function scheduleRedelivery(db: Executor, eventId: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with ev as (select id, account_id, type from webhook_events where id = ${eventId}),
        d as (
          insert into webhook_deliveries (account_id, event_id, endpoint_id)
          select ev.account_id, ev.id, p.id from ev
            join webhook_endpoints p on p.deleted_at is null and (ev.type = any(p.events) or '*' = any(p.events))
          on conflict (account_id, event_id, endpoint_id) do update
             set status = 'pending', next_attempt_at = now(), created_at = now(), updated_at = now()
           where webhook_deliveries.status <> 'pending'
        )
        select id from ev`,
  );
  return rows.length > 0;
}

/** The `data` of the account's latest event of this type, or null when it has had none. */
export async function findLastEventData(db: Executor, accountId: string, type: string): Promise<unknown> {
  const [row] = await queryRows<{ data: unknown }>(
    db,
    sql`select payload->'data' as data from webhook_events where account_id = ${accountId} and type = ${type}
         order by sequence desc limit 1`,
  );
  if (!row) return null;
  return typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
}
