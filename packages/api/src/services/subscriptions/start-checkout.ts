import { DomainError, priceLookupKey } from '@contox/core';
import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import { priceMissing, stripeGateway } from '../../stripe/gateway';
import { findLiveSubscription, type SubscriptionRow } from '../../store/subscriptions';
import { portalConfigurationId } from '../../stripe/portal-configuration';
import { isStripeMissing } from '../../stripe/stripe-errors';
import { ensureCustomer } from '../accounts/ensure-customer';
import { endStaleSubscription, forgetStaleCustomer } from '../accounts/stale-stripe';
import { type CheckoutRequest, type CheckoutTerms, checkoutTerms } from './checkout-terms';
import { syncStripeAnswer } from './sync-subscription';

export type { CheckoutRequest } from './checkout-terms';

export interface CheckoutResult {
  url: string;
}

type CheckoutDeps = Pick<BillingDeps, 'catalog' | 'config' | 'database' | 'log' | 'stripe' | 'now'>;

/** The running subscription a change of plan or seats applies to. */
interface Running {
  customerId: string;
  subscriptionId: string;
  itemId: string | null;
}

/**
 * Where the payer goes to buy a plan: Stripe Checkout when the account has no subscription, else the
 * billing portal on the change, since a second subscription would bill twice.
 */
export async function startCheckout(
  deps: CheckoutDeps,
  accountId: string,
  request: CheckoutRequest,
): Promise<CheckoutResult> {
  try {
    return await checkoutOnce(deps, accountId, request);
  } catch (err) {
    if (!(err instanceof RunningMissing)) throw err;
    // The subscription a change would apply to (or its customer) is gone from Stripe: it ends here too, and
    // the account gets a checkout for a new one.
    return checkoutOnce(deps, accountId, request);
  }
}

/** Stripe no longer had the running subscription or its customer; the stale one has been ended here. */
class RunningMissing extends Error {}

/**
 * Which of the running subscription and its customer Stripe no longer has, asked one by one (another missing
 * object, such as the portal's configuration, says nothing about them): the stale one is ended here.
 */
async function endIfMissing(deps: CheckoutDeps, accountId: string, running: Running, err: unknown): Promise<never> {
  if (!isStripeMissing(err)) throw err;
  const gateway = stripeGateway(deps.stripe);
  if (!(await gateway.customerExists(running.customerId))) {
    await forgetStaleCustomer(deps, accountId, running.customerId);
  } else if (!(await gateway.findSubscription(running.subscriptionId))) {
    await endStaleSubscription(deps, accountId, running.subscriptionId);
  } else throw err;
  throw new RunningMissing();
}

async function checkoutOnce(deps: CheckoutDeps, accountId: string, request: CheckoutRequest): Promise<CheckoutResult> {
  const current = await findLiveSubscription(deps.database.db, accountId);
  const terms = checkoutTerms(deps, request, current?.seats ?? null);
  if (current) refuseNoChange(current, terms);
  const running: Running | CheckoutResult = current
    ? {
        customerId: current.stripeCustomerId,
        subscriptionId: current.stripeSubscriptionId,
        itemId: current.stripeItemId,
      }
    : await subscribeUnlessBilled(deps, accountId, terms);
  if ('url' in running) return running;
  const url = await portalOnChange(deps, running, terms).catch((err: unknown) =>
    endIfMissing(deps, accountId, running, err),
  );
  return { url };
}

/**
 * A checkout for the plan, interval and seats the account already has would open a page that changes nothing:
 * refused, pointing to resume when the point was to keep a subscription that is cancelling.
 */
function refuseNoChange(current: SubscriptionRow, terms: CheckoutTerms): void {
  if (current.plan !== terms.plan.id || current.interval !== terms.interval || current.seats !== terms.seats) return;
  const has = `The account already has the ${terms.plan.id} plan, billed per ${terms.interval}, with ${terms.seats} seat${terms.seats === 1 ? '' : 's'}`;
  const hint = current.cancelAtPeriodEnd || current.cancelAt ? ': resume it to keep it' : ': nothing to change';
  throw new DomainError('CONFLICT', `${has}${hint}`);
}

/** Opens Checkout, unless Stripe already bills the customer: that subscription is adopted instead. */
async function subscribeUnlessBilled(
  deps: CheckoutDeps,
  accountId: string,
  terms: CheckoutTerms,
): Promise<Running | CheckoutResult> {
  const customerId = await ensureCustomer(deps, accountId);
  const gateway = stripeGateway(deps.stripe);
  const adopt = async (sub: Stripe.Subscription): Promise<Running> => {
    await syncStripeAnswer(deps, accountId, sub);
    return { customerId, subscriptionId: sub.id, itemId: sub.items.data[0]?.id ?? null };
  };
  // A checkout paid moments ago may not have reached us by webhook yet; Stripe knows already.
  const billing = await gateway.liveSubscriptionOf(customerId);
  if (billing) return adopt(billing);
  const { plan, interval, seats, successUrl, cancelUrl } = terms;
  const outcome = await gateway.subscriptionCheckout({
    accountId,
    customerId,
    planId: plan.id,
    interval,
    seats,
    successUrl,
    cancelUrl,
  });
  return 'url' in outcome ? { url: outcome.url } : adopt(outcome.subscribed);
}

/** A portal session deep-linked to confirming the running subscription's move to the requested price and seats. */
async function portalOnChange(deps: Pick<BillingDeps, 'catalog' | 'stripe'>, running: Running, terms: CheckoutTerms) {
  const gateway = stripeGateway(deps.stripe);
  const price = await gateway.priceByLookupKey(priceLookupKey(terms.plan.id, terms.interval));
  if (!price) throw priceMissing(terms.plan.id, terms.interval);
  const { customerId, subscriptionId, itemId } = running;
  if (!itemId) throw new Error(`subscription ${subscriptionId} has no Stripe item`);
  return gateway.portal({
    customerId,
    returnUrl: terms.successUrl,
    configuration: await portalConfigurationId(deps.stripe, deps.catalog),
    updateConfirm: { subscriptionId, itemId, priceId: price.id, quantity: terms.seats },
  });
}
