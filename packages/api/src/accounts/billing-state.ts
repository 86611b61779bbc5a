import { type Catalog, currentPeriod, getPlan, LIVE_STATUSES, type Period, type Plan } from '@contox/core';
import { type Database, schema } from '@contox/db';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { prepared } from '../store/prepared';

export interface BillingState {
  plan: Plan;
  period: Period;
  createdAt: Date;
}

/** The account's plan and current usage period, derived from its live subscription (or its creation date). */
const stateQuery = (db: Database) =>
  db
    .select({
      plan: schema.accounts.plan,
      createdAt: schema.accounts.createdAt,
      start: schema.subscriptions.currentPeriodStart,
      end: schema.subscriptions.currentPeriodEnd,
    })
    .from(schema.accounts)
    .leftJoin(
      schema.subscriptions,
      and(eq(schema.subscriptions.accountId, schema.accounts.id), inArray(schema.subscriptions.status, LIVE_STATUSES)),
    )
    .where(eq(schema.accounts.id, sql.placeholder('accountId')))
    .orderBy(desc(schema.subscriptions.currentPeriodEnd))
    .limit(1)
    .prepare('billing_state');

/** The account's plan and current usage period, derived from its live subscription (or its creation date). */
export async function billingState(
  db: Database,
  catalog: Catalog,
  accountId: string,
  now: Date,
): Promise<BillingState> {
  const [row] = await prepared(db, 'billing_state', stateQuery).execute({ accountId });
  if (!row) throw new Error(`account ${accountId} vanished`);
  const plan = getPlan(catalog, row.plan);
  const subscriptionPeriod = row.start && row.end ? { start: row.start, end: row.end } : null;
  return {
    plan,
    period: currentPeriod({ plan, accountCreatedAt: row.createdAt, subscriptionPeriod, now }),
    createdAt: row.createdAt,
  };
}
