import { DomainError, LIVE_STATUSES } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { and, desc, eq, inArray } from 'drizzle-orm';

export type SubscriptionRow = typeof schema.subscriptions.$inferSelect;

const s = schema.subscriptions;

/** The subscription that currently bills the account, if any (the latest-ending one should there be two). */
export async function liveSubscription(db: Executor, accountId: string): Promise<SubscriptionRow | null> {
  const [row] = await db
    .select()
    .from(s)
    .where(and(eq(s.accountId, accountId), inArray(s.status, LIVE_STATUSES)))
    .orderBy(desc(s.currentPeriodEnd))
    .limit(1);
  return row ?? null;
}

export async function requireLiveSubscription(
  db: Executor,
  accountId: string,
  action: string,
): Promise<SubscriptionRow> {
  const row = await liveSubscription(db, accountId);
  if (!row) throw new DomainError('CONFLICT', `There is no active subscription to ${action}`);
  return row;
}

/** The newest subscription of any status, for showing how the last one ended. */
export async function latestSubscription(db: Executor, accountId: string): Promise<SubscriptionRow | null> {
  const [row] = await db.select().from(s).where(eq(s.accountId, accountId)).orderBy(desc(s.currentPeriodEnd)).limit(1);
  return row ?? null;
}
