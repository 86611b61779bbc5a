import type Stripe from 'stripe';
import { CREDIT_CURRENCY } from './gateway';
import { callStripe } from './stripe-errors';

export interface CreditCheckout {
  accountId: string;
  customerId: string;
  /** Our credit_payments row id: it seeds the idempotency key and names the payment on the PaymentIntent. */
  paymentId: string;
  pack: { id: string; name: string; price: number };
  successUrl: string;
  cancelUrl: string;
}

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === 'string' ? ref : ref.id;

/**
 * A Checkout Session in payment mode for one credit pack: the payer is present, so a card that asks for 3-D
 * Secure can answer it, and no saved card is needed. The PaymentIntent carries the same metadata as an
 * off-session charge, so every settlement path (webhooks, return, reconciler) recognises it.
 */
async function openCreditCheckout(stripe: Stripe, a: CreditCheckout): Promise<{ sessionId: string; url: string }> {
  const metadata = { accountId: a.accountId, creditPaymentId: a.paymentId, packId: a.pack.id };
  const session = await callStripe(() =>
    stripe.checkout.sessions.create(
      {
        mode: 'payment',
        customer: a.customerId,
        client_reference_id: a.accountId,
        metadata,
        payment_intent_data: { metadata, description: `Contox credits ${a.pack.id}` },
        line_items: [
          {
            price_data: { currency: CREDIT_CURRENCY, unit_amount: a.pack.price, product_data: { name: a.pack.name } },
            quantity: 1,
          },
        ],
        success_url: a.successUrl,
        cancel_url: a.cancelUrl,
      },
      // Derived from our row: a retry after a lost answer gets the same session, not a second payable one.
      { idempotencyKey: `credit_checkout_${a.paymentId}` },
    ),
  );
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
  return { sessionId: session.id, url: session.url };
}

const isMissing = (err: unknown) =>
  err instanceof Error && (err as { statusCode?: unknown }).statusCode === 404 && 'rawType' in err;

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await callStripe(read);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/** A credit checkout as Stripe has it now, with its PaymentIntent (null until the payer confirmed a card). */
export interface CheckoutState {
  session: Stripe.Checkout.Session;
  intent: Stripe.PaymentIntent | null;
}

async function findCreditCheckout(stripe: Stripe, sessionId: string): Promise<CheckoutState | null> {
  if (!sessionId) return null;
  const session = await orNull(() => stripe.checkout.sessions.retrieve(sessionId));
  if (!session) return null;
  const intentId = idOf(session.payment_intent);
  const intent = intentId ? await orNull(() => stripe.paymentIntents.retrieve(intentId)) : null;
  return { session, intent };
}

/** The card a charge of this customer would use now, or null; null too for a customer Stripe has deleted. */
async function chargeableCard(stripe: Stripe, customerId: string): Promise<string | null> {
  const customer = await orNull(() => stripe.customers.retrieve(customerId));
  if (!customer || customer.deleted) return null;
  const preferred = idOf(customer.invoice_settings?.default_payment_method);
  if (preferred) return preferred;
  const cards = await callStripe(() => stripe.paymentMethods.list({ customer: customerId, type: 'card', limit: 1 }));
  return cards.data[0]?.id ?? null;
}

/** The customer a payment method is attached to now, or null. */
async function ownerOfPaymentMethod(stripe: Stripe, paymentMethodId: string): Promise<string | null> {
  if (!paymentMethodId) return null;
  const pm = await orNull(() => stripe.paymentMethods.retrieve(paymentMethodId));
  return idOf(pm?.customer);
}

/** The Stripe calls of on-session credit purchases and of the auto-recharge's card checks. */
export function creditCheckoutGateway(stripe: Stripe) {
  return {
    open: (a: CreditCheckout) => openCreditCheckout(stripe, a),
    find: (sessionId: string) => findCreditCheckout(stripe, sessionId),
    chargeableCard: (customerId: string) => chargeableCard(stripe, customerId),
    ownerOfPaymentMethod: (paymentMethodId: string) => ownerOfPaymentMethod(stripe, paymentMethodId),
  };
}
