import type { Transaction } from '@contox/db';
import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import { onCustomerUpdated, onPaymentMethodAttached } from './card-changed';
import { onCheckoutCompleted } from './checkout-session-completed';
import { onCheckoutExpired } from './credit-checkout';
import { onSubscriptionChanged } from './customer-subscription';
import { onInvoiceSettled } from './invoice-settled';
import { onPaymentIntentSettled } from './payment-intent-settled';

/** What an event changes, run inside the transaction that records the event. */
export type Effect = (tx: Transaction) => Promise<void>;

/** Does its network reads first, then returns the database effect, so no transaction waits on Stripe. */
export type EventHandler<T extends Stripe.Event['type']> = (
  deps: BillingDeps,
  event: Extract<Stripe.Event, { type: T }>,
) => Promise<Effect>;

type Handlers = {
  [T in Stripe.Event['type']]?: (deps: BillingDeps, event: Extract<Stripe.Event, { type: T }>) => Promise<Effect>;
};

/** The events this service acts on; every other type is acknowledged and ignored. */
export const eventHandlers: Handlers = {
  'checkout.session.completed': onCheckoutCompleted,
  'checkout.session.expired': onCheckoutExpired,
  'customer.updated': onCustomerUpdated,
  'payment_method.attached': onPaymentMethodAttached,
  'customer.subscription.created': onSubscriptionChanged,
  'customer.subscription.updated': onSubscriptionChanged,
  'customer.subscription.deleted': onSubscriptionChanged,
  'invoice.paid': onInvoiceSettled,
  'invoice.payment_failed': onInvoiceSettled,
  'payment_intent.succeeded': onPaymentIntentSettled,
  'payment_intent.payment_failed': onPaymentIntentSettled,
};
