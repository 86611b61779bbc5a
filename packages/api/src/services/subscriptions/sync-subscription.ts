import { nextUsageTerms } from '@contox/core';
import type { Executor } from '@contox/db';
import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import { accountExists, findAccountIdByCustomer, lockAccount, setAccountPlan } from '../../store/accounts';
import {
  findLiveSubscription,
  findSubscriptionAccountId,
  findUsageTerms,
  upsertSubscription,
} from '../../store/subscriptions';
import { emitSubscriptionChange } from '../outbox/subscription-events';
import { planOfPrice } from './plan-of-price';
import { seatsInRange } from './seats-in-range';

const fromUnix = (seconds: number | null | undefined): Date | null => (seconds ? new Date(seconds * 1000) : null);
const customerIdOf = (sub: Stripe.Subscription): string =>
  typeof sub.customer === 'string' ? sub.customer : sub.customer.id;

const PAYING_STATUSES: readonly string[] = ['active', 'trialing'];

/** The subscription's latest invoice while it is still owed (drafted or open); null once paid or when not read. */
function owedInvoice(sub: Stripe.Subscription): Stripe.Invoice | null {
  const invoice = sub.latest_invoice;
  if (invoice === null || typeof invoice === 'string') return null;
  return invoice.status === 'open' || invoice.status === 'draft' ? invoice : null;
}

/** Stripe counts the current period as paid: active or trialing, and its latest invoice not owed. */
const isPaidFor = (sub: Stripe.Subscription): boolean => PAYING_STATUSES.includes(sub.status) && !owedInvoice(sub);

export type SyncOutcome = 'applied' | 'stale' | 'unknown_account' | 'unknown_price';

/** Our account for a Stripe subscription: the row we already have, else its customer, else our metadata. */
export async function accountOfSubscription(tx: Executor, sub: Stripe.Subscription): Promise<string | null> {
  const known = await findSubscriptionAccountId(tx, sub.id);
  if (known) return known;
  const byCustomer = await findAccountIdByCustomer(tx, customerIdOf(sub));
  if (byCustomer) return byCustomer;
  const claimed = sub.metadata?.accountId;
  return claimed && (await accountExists(tx, claimed)) ? claimed : null;
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
  await lockAccount(tx, accountId);
  const currentPeriodStart = new Date(item.current_period_start * 1000);
  const currentPeriodEnd = new Date(item.current_period_end * 1000);
  const terms = nextUsageTerms(
    await findUsageTerms(tx, sub.id),
    {
      billingAnchor: new Date(sub.billing_cycle_anchor * 1000),
      periodStart: currentPeriodStart,
      periodEnd: currentPeriodEnd,
      paid: isPaidFor(sub),
    },
    now,
  );
  const written = await upsertSubscription(
    tx,
    { accountId, stripeSubscriptionId: sub.id, eventCreated, ending: sub.status === 'canceled' },
    {
      stripeCustomerId: customerIdOf(sub),
      stripeItemId: item.id,
      plan: plan.planId,
      interval: plan.interval,
      seats: item.quantity ?? 1,
      status: sub.status,
      currentPeriodStart,
      currentPeriodEnd,
      cancelAtPeriodEnd: sub.cancel_at_period_end,
      cancelAt: fromUnix(sub.cancel_at),
      canceledAt: fromUnix(sub.canceled_at),
      usageAnchor: terms.anchor,
      paidThrough: terms.paidThrough,
      payUrl: owedInvoice(sub)?.hosted_invoice_url ?? null,
      updatedAt: now,
    },
  );
  if (!written) return 'stale';
  const live = await findLiveSubscription(tx, accountId);
  await setAccountPlan(tx, accountId, live?.plan ?? 'free');
  await emitSubscriptionChange(tx, accountId, now);
  return 'applied';
}

/**
 * Writes the subscription Stripe returned to one of our own calls at once (its seats brought into the plan's
 * range first), so the caller's next read shows it without waiting for the webhook that reports the same change.
 */
export async function syncStripeAnswer(
  deps: Pick<BillingDeps, 'catalog' | 'database' | 'log' | 'now' | 'stripe'>,
  accountId: string,
  answer: Stripe.Subscription,
): Promise<SyncOutcome> {
  const sub = await seatsInRange(deps, answer);
  return deps.database.db.transaction((tx) =>
    syncSubscription(tx, { sub, accountId, eventCreated: null, now: deps.now() }),
  );
}
