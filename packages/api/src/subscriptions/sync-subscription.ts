import { LIVE_STATUSES } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { newId } from '../ids';
import { planOfPrice } from './plan-of-price';

/** Subscriptions that keep the paid plan; past_due keeps it while Stripe retries the payment. */

const s = schema.subscriptions;
const fromUnix = (seconds: number | null | undefined): Date | null => (seconds ? new Date(seconds * 1000) : null);
const customerIdOf = (sub: Stripe.Subscription): string =>
  typeof sub.customer === 'string' ? sub.customer : sub.customer.id;

export type SyncOutcome = 'applied' | 'stale' | 'unknown_account' | 'unknown_price';

/** Our account for a Stripe subscription: the row we already have, else its customer, else our metadata. */
export async function accountOfSubscription(tx: Executor, sub: Stripe.Subscription): Promise<string | null> {
  const [known] = await tx.select({ accountId: s.accountId }).from(s).where(eq(s.stripeSubscriptionId, sub.id));
  if (known) return known.accountId;
  const [byCustomer] = await tx
    .select({ id: schema.accounts.id })
    .from(schema.accounts)
    .where(eq(schema.accounts.stripeCustomerId, customerIdOf(sub)));
  if (byCustomer) return byCustomer.id;
  const claimed = sub.metadata?.accountId;
  if (!claimed) return null;
  const [byMetadata] = await tx
    .select({ id: schema.accounts.id })
    .from(schema.accounts)
    .where(eq(schema.accounts.id, claimed));
  return byMetadata?.id ?? null;
}

/**
 * Writes Stripe's view of a subscription into our row and the account's plan. `eventCreated` is the
 * creation time of the webhook event that prompted the read (null for the answer to our own call): a
 * write prompted by an older event than the last one applied is refused, and `canceled` is final,
 * so late or reordered deliveries can never bring back an ended subscription.
 */
export async function syncSubscription(
  tx: Executor,
  args: { sub: Stripe.Subscription; accountId?: string; eventCreated: Date | null; now: Date },
): Promise<SyncOutcome> {
  const { sub, eventCreated, now } = args;
  const item = sub.items.data[0];
  const plan = item ? planOfPrice(item.price) : null;
  if (!item || !plan) return 'unknown_price';
  const accountId = args.accountId ?? (await accountOfSubscription(tx, sub));
  if (!accountId) return 'unknown_account';

  // Serialises every change to one account's plan, so the recomputation below sees the other writers.
  await tx
    .select({ id: schema.accounts.id })
    .from(schema.accounts)
    .where(eq(schema.accounts.id, accountId))
    .for('update');

  const state = {
    stripeCustomerId: customerIdOf(sub),
    stripeItemId: item.id,
    plan: plan.planId,
    interval: plan.interval,
    seats: item.quantity ?? 1,
    status: sub.status,
    currentPeriodStart: new Date(item.current_period_start * 1000),
    currentPeriodEnd: new Date(item.current_period_end * 1000),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    cancelAt: fromUnix(sub.cancel_at),
    canceledAt: fromUnix(sub.canceled_at),
    updatedAt: now,
  };
  const notEnded = sql`${s.status} <> 'canceled'`;
  const notOlder = sql`(excluded.stripe_event_created is null or ${s.stripeEventCreated} is null or ${s.stripeEventCreated} <= excluded.stripe_event_created)`;
  const [written] = await tx
    .insert(s)
    .values({ id: newId('sub'), accountId, stripeSubscriptionId: sub.id, stripeEventCreated: eventCreated, ...state })
    .onConflictDoUpdate({
      target: s.stripeSubscriptionId,
      set: { ...state, stripeEventCreated: sql`greatest(${s.stripeEventCreated}, excluded.stripe_event_created)` },
      // An ending always applies; anything else only when it is not older than what we hold.
      setWhere: sub.status === 'canceled' ? notEnded : and(notEnded, notOlder),
    })
    .returning({ id: s.id });
  if (!written) return 'stale';

  const [live] = await tx
    .select({ plan: s.plan })
    .from(s)
    .where(and(eq(s.accountId, accountId), inArray(s.status, LIVE_STATUSES)))
    .orderBy(desc(s.currentPeriodEnd))
    .limit(1);
  await tx
    .update(schema.accounts)
    .set({ plan: live?.plan ?? 'free' })
    .where(eq(schema.accounts.id, accountId));
  return 'applied';
}
