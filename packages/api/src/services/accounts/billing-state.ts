import { type Catalog, currentPeriod, getPlan, type Period, type Plan } from '@contox/core';
import type { Database } from '@contox/db';
import { findBillingStateRow } from '../../store/accounts';
import { usageTermsOf } from '../../store/subscriptions';

export interface BillingState {
  plan: Plan;
  period: Period;
  createdAt: Date;
}

/** The account's plan and current usage period, derived from its live subscription (or its creation date). */
export async function billingState(
  db: Database,
  catalog: Catalog,
  accountId: string,
  now: Date,
): Promise<BillingState> {
  const row = await findBillingStateRow(db, accountId);
  if (!row) throw new Error(`account ${accountId} vanished`);
  const plan = getPlan(catalog, row.plan);
  const { start, end, usageAnchor, paidThrough } = row;
  const subscription =
    start && end ? usageTermsOf({ usageAnchor, paidThrough, currentPeriodStart: start, currentPeriodEnd: end }) : null;
  return {
    plan,
    period: currentPeriod({ plan, accountCreatedAt: row.createdAt, subscription, now }),
    createdAt: row.createdAt,
  };
}
