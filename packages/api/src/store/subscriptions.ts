import { LIVE_STATUSES, type UsageTerms } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { type AnyColumn, and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { newId } from '../ids';

export type SubscriptionRow = typeof schema.subscriptions.$inferSelect;

/** What Stripe says about a subscription, as our row holds it. */
export type SubscriptionState = Omit<
  typeof schema.subscriptions.$inferInsert,
  'id' | 'accountId' | 'stripeSubscriptionId' | 'stripeEventCreated'
>;

const s = schema.subscriptions;

/** A row's usage terms; rows written before they were kept have periods anchored on their billing period. */
export function usageTermsOf(row: {
  usageAnchor: Date | null;
  paidThrough: Date | null;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
}): UsageTerms {
  return { anchor: row.usageAnchor ?? row.currentPeriodStart, paidThrough: row.paidThrough ?? row.currentPeriodEnd };
}

/**
 * The one definition of "the subscription that bills an account now": a live status, the latest-ending one
 * should there be two. `accountId` is a value, or an outer query's column (or expression) in a lateral join.
 */
export function liveSubscriptionQuery(db: Executor, accountId: string | AnyColumn | SQL) {
  return db
    .select()
    .from(s)
    .where(and(eq(s.accountId, accountId), inArray(s.status, LIVE_STATUSES)))
    .orderBy(desc(s.currentPeriodEnd))
    .limit(1);
}

export async function findLiveSubscription(db: Executor, accountId: string): Promise<SubscriptionRow | null> {
  const [row] = await liveSubscriptionQuery(db, accountId);
  return row ?? null;
}

/** The live subscription of the account in `accountId`'s row, for a left lateral join named `live`. */
export function liveSubscriptionOf(db: Executor, accountId: AnyColumn) {
  return liveSubscriptionQuery(db, accountId).as('live');
}

/** The newest subscription of any status, for showing how the last one ended. */
export async function findLatestSubscription(db: Executor, accountId: string): Promise<SubscriptionRow | null> {
  const [row] = await db.select().from(s).where(eq(s.accountId, accountId)).orderBy(desc(s.currentPeriodEnd)).limit(1);
  return row ?? null;
}

/** The usage terms held for a Stripe subscription; null for one not seen before. */
export async function findUsageTerms(db: Executor, stripeSubscriptionId: string): Promise<UsageTerms | null> {
  const [row] = await db
    .select({
      usageAnchor: s.usageAnchor,
      paidThrough: s.paidThrough,
      currentPeriodStart: s.currentPeriodStart,
      currentPeriodEnd: s.currentPeriodEnd,
    })
    .from(s)
    .where(eq(s.stripeSubscriptionId, stripeSubscriptionId));
  return row ? usageTermsOf(row) : null;
}

/** The account a Stripe subscription we already hold belongs to. */
export async function findSubscriptionAccountId(db: Executor, stripeSubscriptionId: string): Promise<string | null> {
  const [row] = await db
    .select({ accountId: s.accountId })
    .from(s)
    .where(eq(s.stripeSubscriptionId, stripeSubscriptionId));
  return row?.accountId ?? null;
}

/**
 * Inserts or updates the row of a Stripe subscription; false when the row refused the write. A `canceled`
 * row is final; a write prompted by an event older than the last one applied is refused unless it ends
 * the subscription (`ending`). `eventCreated` is null for a write that answers our own call.
 */
export async function upsertSubscription(
  tx: Executor,
  row: { accountId: string; stripeSubscriptionId: string; eventCreated: Date | null; ending: boolean },
  state: SubscriptionState,
): Promise<boolean> {
  const notEnded = sql`${s.status} <> 'canceled'`;
  const notOlder = sql`(excluded.stripe_event_created is null or ${s.stripeEventCreated} is null or ${s.stripeEventCreated} <= excluded.stripe_event_created)`;
  const [written] = await tx
    .insert(s)
    .values({
      id: newId('sub'),
      accountId: row.accountId,
      stripeSubscriptionId: row.stripeSubscriptionId,
      stripeEventCreated: row.eventCreated,
      ...state,
    })
    .onConflictDoUpdate({
      target: [s.accountId, s.stripeSubscriptionId],
      set: { ...state, stripeEventCreated: sql`greatest(${s.stripeEventCreated}, excluded.stripe_event_created)` },
      setWhere: row.ending ? notEnded : and(notEnded, notOlder),
    })
    .returning({ id: s.id });
  return written !== undefined;
}
