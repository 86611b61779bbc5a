import { LIVE_STATUSES } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { and, eq, inArray } from 'drizzle-orm';

const a = schema.accounts;
const s = schema.subscriptions;

/** What ending a subscription Stripe no longer has writes: canceled now, nothing pending. */
const ended = (now: Date) => ({ status: 'canceled', canceledAt: now, cancelAtPeriodEnd: false, updatedAt: now });

/**
 * Drops the account's Stripe customer id, if it is still `customerId`, and ends the live subscriptions of that
 * customer: Stripe has none of them any more. True when the id was still stored.
 */
export async function clearStripeCustomer(
  tx: Executor,
  accountId: string,
  customerId: string,
  now: Date,
): Promise<boolean> {
  const cleared = await tx
    .update(a)
    .set({ stripeCustomerId: null })
    .where(and(eq(a.id, accountId), eq(a.stripeCustomerId, customerId)))
    .returning({ id: a.id });
  await tx
    .update(s)
    .set(ended(now))
    .where(and(eq(s.accountId, accountId), eq(s.stripeCustomerId, customerId), inArray(s.status, LIVE_STATUSES)));
  return cleared.length > 0;
}

/** Ends the account's subscription that Stripe no longer has. True when it was still live here. */
export async function endMissingSubscription(
  tx: Executor,
  accountId: string,
  stripeSubscriptionId: string,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .update(s)
    .set(ended(now))
    .where(
      and(
        eq(s.accountId, accountId),
        eq(s.stripeSubscriptionId, stripeSubscriptionId),
        inArray(s.status, LIVE_STATUSES),
      ),
    )
    .returning({ id: s.id });
  return rows.length > 0;
}
