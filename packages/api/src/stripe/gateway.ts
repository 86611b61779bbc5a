import { DomainError, type Interval, LIVE_STATUSES, type PlanId, priceLookupKey } from '@contox/core';
import type Stripe from 'stripe';
import { callStripe, isStripeMissing } from './stripe-errors';

export interface SubscriptionCheckout {
  accountId: string;
  customerId: string;
  planId: PlanId;
  interval: Interval;
  seats: number;
  successUrl: string;
  cancelUrl: string;
}

export interface PortalRequest {
  customerId: string;
  returnUrl: string;
  /** The portal configuration that limits plan and seat changes (stripe/portal-configuration.ts). */
  configuration: string;
  /** Deep-links the portal to confirming one change of the subscription's single item. */
  updateConfirm?: { subscriptionId: string; itemId: string; priceId: string; quantity: number };
}

/** Credits are sold in euros: every charge is made, and every PaymentIntent read back checked, in this currency. */
export const CREDIT_CURRENCY = 'eur';

export interface OffSessionCharge {
  customerId: string;
  paymentMethodId: string;
  /** euro cents */
  amount: number;
  /** Our credit_payments row id: it seeds the idempotency key and links the webhook back. */
  paymentId: string;
  description: string;
  metadata: Record<string, string>;
}

export interface NewCustomer {
  accountId: string;
  name: string;
  email: string | null;
  /** The account's former customer, which Stripe no longer has: the new one gets an idempotency key of its own. */
  replaces?: string;
}

export interface SavedCard {
  brand: string;
  last4: string;
}

export type CheckoutOutcome = { url: string } | { subscribed: Stripe.Subscription };

/** Every call this service makes to Stripe; failures arrive as DomainErrors. */
export interface StripeGateway {
  /** The account's customer: the same one for concurrent first calls and for a retry after a lost answer. */
  createCustomer(a: NewCustomer): Promise<string>;
  /** False when Stripe has no such customer, or only a deleted one. */
  customerExists(customerId: string): Promise<boolean>;
  defaultPaymentMethod(customerId: string): Promise<string | null>;
  /** The payment method a charge would use, with the card's brand and last 4 for people to confirm it. */
  savedPaymentMethod(customerId: string): Promise<{ id: string; card: SavedCard | null } | null>;
  /**
   * Opens a checkout for a new subscription, unless Stripe shows the customer subscribed meanwhile; the
   * customer's older open subscription checkouts are expired.
   */
  subscriptionCheckout(a: SubscriptionCheckout): Promise<CheckoutOutcome>;
  /** Stripe's own view: a subscription of this customer that is billing now, if any. */
  liveSubscriptionOf(customerId: string): Promise<Stripe.Subscription | null>;
  portal(a: PortalRequest): Promise<string>;
  cancelAtPeriodEnd(subscriptionId: string): Promise<Stripe.Subscription>;
  resume(subscriptionId: string): Promise<Stripe.Subscription>;
  /**
   * Sets the seats of the subscription's item, Stripe prorating as for any change. Setting the same count again
   * changes nothing, so a repeated correction is harmless (the SDK's own key covers its retries).
   */
  setSeats(a: { subscriptionId: string; itemId: string; quantity: number }): Promise<Stripe.Subscription>;
  retrieveSubscription(id: string): Promise<Stripe.Subscription>;
  /** The subscription as Stripe has it now; null when Stripe has no such subscription. */
  findSubscription(id: string): Promise<Stripe.Subscription | null>;
  /** Stripe's own copy of an event (data as it was when the event happened); null when Stripe sent no such event. */
  findEvent(id: string): Promise<Stripe.Event | null>;
  /** The checkout session as Stripe has it now; null when Stripe has no such session. */
  findCheckoutSession(id: string): Promise<Stripe.Checkout.Session | null>;
  /** Every PaymentIntent Stripe holds for one of our credit payments (by the metadata the charge set), newest first. */
  paymentIntentsOfPayment(customerId: string, paymentId: string): Promise<Stripe.PaymentIntent[]>;
  chargeOffSession(a: OffSessionCharge): Promise<{ paymentIntentId: string }>;
  priceByLookupKey(key: string): Promise<Stripe.Price | null>;
}

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === 'string' ? ref : ref.id;

async function createCustomer(stripe: Stripe, a: NewCustomer): Promise<string> {
  // The key makes concurrent first uses (and a retry after a lost answer) get one customer, not two.
  const customer = await callStripe(() =>
    stripe.customers.create(
      { name: a.name, ...(a.email ? { email: a.email } : {}), metadata: { accountId: a.accountId } },
      // Stripe would replay a deleted customer for the plain key: a replacement has a key of its own.
      { idempotencyKey: a.replaces ? `customer_${a.accountId}_after_${a.replaces}` : `customer_${a.accountId}` },
    ),
  );
  return customer.id;
}

async function customerExists(stripe: Stripe, customerId: string): Promise<boolean> {
  try {
    const customer = await callStripe(() => stripe.customers.retrieve(customerId));
    return !customer.deleted;
  } catch (err) {
    if (isStripeMissing(err)) return false;
    throw err;
  }
}

async function defaultPaymentMethod(stripe: Stripe, customerId: string): Promise<string | null> {
  const customer = await callStripe(() => stripe.customers.retrieve(customerId));
  if (customer.deleted) return null;
  const preferred = idOf(customer.invoice_settings?.default_payment_method);
  if (preferred) return preferred;
  const cards = await callStripe(() => stripe.paymentMethods.list({ customer: customerId, type: 'card', limit: 1 }));
  return cards.data[0]?.id ?? null;
}

async function savedPaymentMethod(
  stripe: Stripe,
  customerId: string,
): Promise<{ id: string; card: SavedCard | null } | null> {
  const id = await defaultPaymentMethod(stripe, customerId);
  if (!id) return null;
  const { card } = await callStripe(() => stripe.paymentMethods.retrieve(id));
  return { id, card: card ? { brand: card.brand, last4: card.last4 } : null };
}

async function priceByLookupKey(stripe: Stripe, key: string): Promise<Stripe.Price | null> {
  const prices = await callStripe(() => stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 }));
  return prices.data[0] ?? null;
}

/** The catalogue sells something Stripe has no price for: an operator has yet to run `sync-prices`. */
export const priceMissing = (planId: PlanId, interval: Interval): DomainError =>
  new DomainError(
    'PAYMENT_PROVIDER_UNAVAILABLE',
    `The ${planId} plan (${interval}ly) cannot be bought yet: Stripe has no price "${priceLookupKey(planId, interval)}"`,
  );

// Stripe's `created` is in whole seconds: the millisecond each request opened its checkout orders them,
// and the id breaks a tie, so that concurrent requests agree on which one is newest.
const OPENED_AT = 'contoxOpenedAt';
const openedAt = (x: Stripe.Checkout.Session) => Number(x.metadata?.[OPENED_AT] ?? 0);
const isNewer = (x: Stripe.Checkout.Session, than: Stripe.Checkout.Session) =>
  openedAt(x) > openedAt(than) || (openedAt(x) === openedAt(than) && x.id > than.id);

async function subscriptionCheckout(stripe: Stripe, a: SubscriptionCheckout): Promise<CheckoutOutcome> {
  const key = priceLookupKey(a.planId, a.interval);
  const price = await priceByLookupKey(stripe, key);
  if (!price) throw priceMissing(a.planId, a.interval);
  const metadata = { accountId: a.accountId };
  const session = await callStripe(() =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: a.customerId,
      client_reference_id: a.accountId,
      // The wall clock, not the billing clock: it orders requests, it dates nothing.
      metadata: { ...metadata, [OPENED_AT]: String(Date.now()) },
      subscription_data: { metadata },
      line_items: [{ price: price.id, quantity: a.seats }],
      success_url: a.successUrl,
      cancel_url: a.cancelUrl,
    }),
  );
  try {
    return await keepNewestCheckout(stripe, a.customerId, session);
  } catch (err) {
    // Its URL never reaches anyone, but it must not stay payable beside the others either.
    await expireCheckout(stripe, session.id).catch(() => {});
    throw err;
  }
}

/** Expires a checkout that is still open; one completed or expired meanwhile is left as it is. */
async function expireCheckout(stripe: Stripe, id: string): Promise<void> {
  await callStripe(() => stripe.checkout.sessions.expire(id)).catch(async (err: unknown) => {
    const now = await callStripe(() => stripe.checkout.sessions.retrieve(id));
    if (now.status === 'open') throw err;
  });
}

/**
 * Two open subscription checkouts (two tabs, a double click) could both be paid and bill the account twice.
 * Only the newest (by the millisecond it was opened, then id) stays payable: each request expires the ones before its own, so
 * concurrent requests agree on the one that survives, and the request that finds a newer one gives way.
 * An older one may have been paid before it could be expired: Stripe is asked again afterwards.
 */
async function keepNewestCheckout(
  stripe: Stripe,
  customerId: string,
  own: Stripe.Checkout.Session,
): Promise<CheckoutOutcome> {
  const open = await callStripe(() =>
    stripe.checkout.sessions.list({ customer: customerId, status: 'open', limit: 100 }),
  );
  const others = open.data.filter((s) => s.mode === 'subscription' && s.id !== own.id);
  for (const older of others.filter((s) => !isNewer(s, own))) await expireCheckout(stripe, older.id);
  const subscribed = await liveSubscriptionOf(stripe, customerId);
  const outdone = others.some((s) => isNewer(s, own));
  if (subscribed || outdone) await expireCheckout(stripe, own.id);
  if (subscribed) return { subscribed };
  if (outdone) {
    throw new DomainError(
      'CONFLICT',
      'Another checkout for this account was opened at the same moment: continue in that one, or try again',
    );
  }
  if (!own.url) throw new Error(`Stripe returned checkout session ${own.id} without a url`);
  return { url: own.url };
}

async function liveSubscriptionOf(stripe: Stripe, customerId: string): Promise<Stripe.Subscription | null> {
  const subs = await callStripe(() =>
    stripe.subscriptions.list({ customer: customerId, status: 'all', limit: 100, expand: ['data.latest_invoice'] }),
  );
  return subs.data.find((sub) => LIVE_STATUSES.includes(sub.status)) ?? null;
}

async function portal(stripe: Stripe, a: PortalRequest): Promise<string> {
  const change = a.updateConfirm;
  const session = await callStripe(() =>
    stripe.billingPortal.sessions.create({
      customer: a.customerId,
      return_url: a.returnUrl,
      configuration: a.configuration,
      ...(change
        ? {
            flow_data: {
              type: 'subscription_update_confirm',
              subscription_update_confirm: {
                subscription: change.subscriptionId,
                items: [{ id: change.itemId, price: change.priceId, quantity: change.quantity }],
              },
              after_completion: { type: 'redirect', redirect: { return_url: a.returnUrl } },
            },
          }
        : {}),
    }),
  );
  return session.url;
}

async function chargeOffSession(stripe: Stripe, a: OffSessionCharge): Promise<{ paymentIntentId: string }> {
  const intent = await callStripe(() =>
    stripe.paymentIntents.create(
      {
        amount: a.amount,
        currency: CREDIT_CURRENCY,
        customer: a.customerId,
        payment_method: a.paymentMethodId,
        off_session: true,
        confirm: true,
        description: a.description,
        metadata: { ...a.metadata, creditPaymentId: a.paymentId },
      },
      // Derived from our row, not random: a retry after a timeout replays the first charge instead of a second.
      { idempotencyKey: `credit_payment_${a.paymentId}` },
    ),
  );
  if (intent.status !== 'succeeded') {
    throw new DomainError('PAYMENT_FAILED', `The payment did not complete (status ${intent.status})`, {
      paymentIntentId: intent.id,
    });
  }
  return { paymentIntentId: intent.id };
}

const isMissing = (err: unknown) =>
  err instanceof Error && (err as { statusCode?: unknown }).statusCode === 404 && 'rawType' in err;

/** A read of one object that Stripe may not have: null for its 404, every other failure thrown as usual. */
async function findObject<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await callStripe(read);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

// The SDK encodes an id into the path, but an empty one would leave `/v1/<objects>/`: a list, not one object.
function finder<T>(read: (id: string) => Promise<T>): (id: string) => Promise<T | null> {
  return async (id) => (id ? findObject(() => read(id)) : null);
}

// A customer buys credits a few times a month: a hundred pages of a hundred is far beyond any real history.
const MAX_PAGES = 100;

/**
 * Stripe's search API is eventually consistent and the emulator has none: the customer's PaymentIntents are
 * listed instead, and ours recognised by the `creditPaymentId` metadata every charge carries.
 */
async function paymentIntentsOfPayment(
  stripe: Stripe,
  customerId: string,
  paymentId: string,
): Promise<Stripe.PaymentIntent[]> {
  const found: Stripe.PaymentIntent[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const list = await callStripe(() =>
      stripe.paymentIntents.list({ customer: customerId, limit: 100, ...(after ? { starting_after: after } : {}) }),
    );
    found.push(...list.data.filter((pi) => pi.metadata?.creditPaymentId === paymentId));
    after = list.data.at(-1)?.id;
    if (!list.has_more || !after) break;
  }
  return found;
}

// Every subscription read carries its latest invoice: whether it is paid decides the usage period (core periods).
const WITH_INVOICE = ['latest_invoice'];

/** Cheap: holds no state beyond the client, so callers create one per use. */
export function stripeGateway(stripe: Stripe): StripeGateway {
  return {
    createCustomer: (a) => createCustomer(stripe, a),
    customerExists: (customerId) => customerExists(stripe, customerId),
    defaultPaymentMethod: (customerId) => defaultPaymentMethod(stripe, customerId),
    savedPaymentMethod: (customerId) => savedPaymentMethod(stripe, customerId),
    subscriptionCheckout: (a) => subscriptionCheckout(stripe, a),
    liveSubscriptionOf: (customerId) => liveSubscriptionOf(stripe, customerId),
    portal: (a) => portal(stripe, a),
    cancelAtPeriodEnd: (id) =>
      callStripe(() => stripe.subscriptions.update(id, { cancel_at_period_end: true, expand: WITH_INVOICE })),
    resume: (id) =>
      callStripe(() => stripe.subscriptions.update(id, { cancel_at_period_end: false, expand: WITH_INVOICE })),
    setSeats: (a) =>
      callStripe(() =>
        stripe.subscriptions.update(a.subscriptionId, {
          items: [{ id: a.itemId, quantity: a.quantity }],
          expand: WITH_INVOICE,
        }),
      ),
    retrieveSubscription: (id) => callStripe(() => stripe.subscriptions.retrieve(id, { expand: WITH_INVOICE })),
    findSubscription: finder((id) => stripe.subscriptions.retrieve(id, { expand: WITH_INVOICE })),
    findEvent: finder((id) => stripe.events.retrieve(id)),
    findCheckoutSession: finder((id) => stripe.checkout.sessions.retrieve(id)),
    paymentIntentsOfPayment: (customerId, paymentId) => paymentIntentsOfPayment(stripe, customerId, paymentId),
    chargeOffSession: (a) => chargeOffSession(stripe, a),
    priceByLookupKey: (key) => priceByLookupKey(stripe, key),
  };
}
