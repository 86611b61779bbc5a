import type Stripe from 'stripe';
import type { BillingDeps } from '../deps';
import type { Effect } from './event-handler';
import { onCheckoutCompleted } from './events/checkout-session-completed';
import { onSubscriptionChanged } from './events/customer-subscription';
import { onInvoiceSettled } from './events/invoice-settled';
import { onPaymentFailed } from './events/payment-intent-failed';
import { onPaymentSucceeded } from './events/payment-intent-succeeded';

type Handlers = {
  [T in Stripe.Event['type']]?: (deps: BillingDeps, event: Extract<Stripe.Event, { type: T }>) => Promise<Effect>;
};

/** The events this service acts on; every other type is acknowledged and ignored. */
export const eventHandlers: Handlers = {
  'checkout.session.completed': onCheckoutCompleted,
  'customer.subscription.created': onSubscriptionChanged,
  'customer.subscription.updated': onSubscriptionChanged,
  'customer.subscription.deleted': onSubscriptionChanged,
  'invoice.paid': onInvoiceSettled,
  'invoice.payment_failed': onInvoiceSettled,
  'payment_intent.succeeded': onPaymentSucceeded,
  'payment_intent.payment_failed': onPaymentFailed,
};
