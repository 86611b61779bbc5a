import type { Executor } from '@contox/db';
import type { BillingDeps } from '../../deps';
import { findPayment, type StoredPayment } from '../../store/payments';
import { type CheckoutState, creditCheckoutGateway } from '../../stripe/credit-checkout';
import { expireCheckoutPayment, settleFromIntent } from './settle-payment';

/** How a credit checkout stands: paid (credited once), still open on Stripe, or over unpaid. */
export type CheckoutSettlement = 'paid' | 'open' | 'expired';

/**
 * The database half of settling a credit checkout from Stripe's current state: its PaymentIntent credits the
 * pack once when it succeeded (the ledger's unique PaymentIntent reference makes every path agree), an expired
 * session fails the payment, an open one waits. Shared by the return, the checkout webhooks and the reconciler.
 */
export async function applyCheckoutState(
  tx: Executor,
  payment: StoredPayment,
  state: CheckoutState | null,
  now: Date,
): Promise<CheckoutSettlement> {
  const { session, intent } = state ?? { session: null, intent: null };
  if (intent?.status === 'succeeded' && intent.metadata?.creditPaymentId === payment.id) {
    const outcome = await settleFromIntent(tx, { intent, now });
    if ('settled' in outcome && outcome.settled === 'credited') return 'paid';
  }
  const current = await findPayment(tx, payment.id);
  if (current?.status === 'succeeded') return 'paid';
  if (session === null || session.status === 'expired') {
    await expireCheckoutPayment(tx, { paymentId: payment.id, now });
    return 'expired';
  }
  return current?.status === 'failed' ? 'expired' : 'open';
}

/** Reads the checkout from Stripe (no transaction waits on it), then settles it in one transaction. */
export async function settleCreditCheckout(deps: BillingDeps, payment: StoredPayment): Promise<CheckoutSettlement> {
  if (payment.status === 'succeeded') return 'paid';
  if (!payment.checkoutSessionId) throw new Error(`payment ${payment.id} was not opened on Checkout`);
  const state = await creditCheckoutGateway(deps.stripe).find(payment.checkoutSessionId);
  return deps.database.db.transaction((tx) => applyCheckoutState(tx, payment, state, deps.now()));
}
