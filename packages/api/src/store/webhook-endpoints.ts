import { type Executor, queryRows, schema } from '@contox/db';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';

// The operator's webhook endpoints and the event log they read: events with each delivery and its attempts.

const ep = schema.webhookEndpoints;
const ev = schema.webhookEvents;

export type StoredEndpoint = typeof ep.$inferSelect;

export async function insertEndpoint(
  db: Executor,
  row: { id: string; url: string; events: string[]; secret: string; createdAt: Date },
): Promise<void> {
  await db.insert(ep).values(row);
}

/** Live endpoints, oldest first. */
export function listEndpoints(db: Executor): Promise<StoredEndpoint[]> {
  return db.select().from(ep).where(isNull(ep.deletedAt)).orderBy(ep.createdAt, ep.id);
}

export async function findEndpoint(db: Executor, id: string): Promise<StoredEndpoint | null> {
  const [row] = await db
    .select()
    .from(ep)
    .where(and(eq(ep.id, id), isNull(ep.deletedAt)));
  return row ?? null;
}

/** Deletes an endpoint (its history stays) and cancels its pending deliveries; false when there was none. */
export async function deleteEndpoint(tx: Executor, id: string, now: Date): Promise<boolean> {
  const deleted = await tx
    .update(ep)
    .set({ deletedAt: now })
    .where(and(eq(ep.id, id), isNull(ep.deletedAt)))
    .returning({ id: ep.id });
  if (deleted.length === 0) return false;
  await tx
    .update(schema.webhookDeliveries)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(schema.webhookDeliveries.endpointId, id), eq(schema.webhookDeliveries.status, 'pending')));
  return true;
}

export type StoredEvent = typeof ev.$inferSelect;

/** Events newest first, optionally of one account and one type. */
export function listEvents(
  db: Executor,
  args: { accountId?: string; type?: string; limit: number },
): Promise<StoredEvent[]> {
  return db
    .select()
    .from(ev)
    .where(
      and(
        args.accountId === undefined ? undefined : eq(ev.accountId, args.accountId),
        args.type === undefined ? undefined : eq(ev.type, args.type),
      ),
    )
    .orderBy(desc(ev.createdAt), desc(ev.sequence))
    .limit(args.limit);
}

export type StoredDelivery = typeof schema.webhookDeliveries.$inferSelect;
export type StoredAttempt = typeof schema.webhookAttempts.$inferSelect;

/** The deliveries and attempts of these events; their keys lead with the account, so the accounts are named too. */
export async function listDeliveries(db: Executor, events: { id: string; accountId: string }[]) {
  if (events.length === 0) return { deliveries: [], attempts: [] };
  const eventIds = events.map((e) => e.id);
  const accountIds = [...new Set(events.map((e) => e.accountId))];
  const d = schema.webhookDeliveries;
  const a = schema.webhookAttempts;
  const [deliveries, attempts] = await Promise.all([
    db
      .select()
      .from(d)
      .where(and(inArray(d.accountId, accountIds), inArray(d.eventId, eventIds)))
      .orderBy(d.createdAt, d.endpointId),
    db
      .select()
      .from(a)
      .where(and(inArray(a.accountId, accountIds), inArray(a.eventId, eventIds)))
      .orderBy(a.endpointId, a.attempt),
  ]);
  return { deliveries, attempts };
}

/** How many deliveries of live endpoints are still pending (health and tests). */
export async function countPendingDeliveries(db: Executor): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from webhook_deliveries where status = 'pending'`,
  );
  return Number(row?.n ?? 0);
}
