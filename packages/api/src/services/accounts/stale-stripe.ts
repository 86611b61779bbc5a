import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { findLiveSubscription } from '../../store/subscriptions';
import { lockAccount, setAccountPlan } from '../../store/accounts';
import { clearStripeCustomer, endMissingSubscription } from '../../store/stale-stripe';

type Deps = Pick<BillingDeps, 'database'> & Partial<Pick<BillingDeps, 'now' | 'log'>>;

/** After a subscription ends here, the account's plan is that of the one still live, else free. */
async function forget(
  deps: Deps,
  accountId: string,
  clear: (tx: Parameters<typeof lockAccount>[0]) => Promise<boolean>,
) {
  return deps.database.db.transaction(async (tx) => {
    // Serialises with every other writer of the account's plan (sync-subscription takes the same lock).
    await lockAccount(tx, accountId);
    const changed = await clear(tx);
    const live = await findLiveSubscription(tx, accountId);
    await setAccountPlan(tx, accountId, live?.plan ?? 'free');
    return changed;
  });
}

/**
 * Stripe has no customer `customerId` any more (deleted in its dashboard, or a test-mode reset): the stored id
 * and the subscriptions it held are dropped, so the next checkout, portal or purchase creates a new customer.
 */
export async function forgetStaleCustomer(deps: Deps, accountId: string, customerId: string): Promise<void> {
  const now = deps.now?.() ?? new Date();
  if (await forget(deps, accountId, (tx) => clearStripeCustomer(tx, accountId, customerId, now))) {
    deps.log?.warn("Stripe no longer has the account's customer: its id is cleared, a new one follows on next use", {
      accountId,
      customerId,
    });
  }
}

/** Ends here the account's subscription that Stripe no longer has (the plan falls back to another live one, else free). */
export async function endStaleSubscription(deps: Deps, accountId: string, subscriptionId: string): Promise<void> {
  const now = deps.now?.() ?? new Date();
  if (await forget(deps, accountId, (tx) => endMissingSubscription(tx, accountId, subscriptionId, now))) {
    deps.log?.warn("Stripe no longer has the account's subscription: it is ended here too", {
      accountId,
      subscriptionId,
    });
  }
}

/**
 * Stripe has no subscription `subscriptionId` any more: it ends here too, and the caller is told what to do
 * instead of a failure.
 */
export async function forgetStaleSubscription(deps: Deps, accountId: string, subscriptionId: string): Promise<never> {
  await endStaleSubscription(deps, accountId, subscriptionId);
  throw new DomainError(
    'CONFLICT',
    'Stripe no longer has this subscription (it was deleted there), so the account is back on the free plan: start a new checkout (POST /api/billing/checkout) to subscribe again',
    { stripeSubscriptionId: subscriptionId },
  );
}
