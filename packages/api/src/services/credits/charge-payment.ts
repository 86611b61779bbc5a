import { DomainError, isDomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { findStripeCustomerId } from '../../store/accounts';
import type { PaymentRow } from '../../store/payments';
import { stripeGateway } from '../../stripe/gateway';
import { isStripeMissing } from '../../stripe/stripe-errors';
import { forgetStaleCustomer } from '../accounts/stale-stripe';
import { type Settled, settleFailedPayment, settleSucceededPayment } from './settle-payment';

export const NO_CARD_MESSAGE =
  'No saved card on this account: add one in the billing portal (Billing > Plan > Manage payment methods, or POST /api/billing/portal) and try again';

// Declines are final for this payment; outages leave it pending so a retry reuses the same Stripe idempotency key.
const FINAL_FAILURES = new Set(['CARD_DECLINED', 'AUTHENTICATION_REQUIRED', 'PAYMENT_FAILED', 'NO_PAYMENT_METHOD']);

async function fail(
  deps: BillingDeps,
  payment: PaymentRow,
  err: DomainError,
  paymentMethodId: string | null = null,
): Promise<never> {
  const paymentIntentId = typeof err.details?.paymentIntentId === 'string' ? err.details.paymentIntentId : null;
  await settleFailedPayment(deps.database.db, {
    paymentId: payment.id,
    paymentIntentId,
    paymentMethodId,
    code: err.code,
    message: err.message,
    now: deps.now(),
  });
  throw err;
}

const STALE_CUSTOMER_MESSAGE =
  "Stripe no longer has this account's customer (it was deleted there), so there is no card to charge and its subscription has ended: subscribe again (POST /api/billing/checkout) or add a card in the billing portal (POST /api/billing/portal), then try again";

/**
 * The customer's card, or why there is none. When Stripe no longer has the customer, its id is cleared (with
 * the subscriptions it held) so that the next checkout or portal creates a new one.
 */
async function cardOf(deps: BillingDeps, accountId: string, customerId: string | null) {
  if (!customerId) return { paymentMethodId: null, why: NO_CARD_MESSAGE };
  try {
    return { paymentMethodId: await stripeGateway(deps.stripe).defaultPaymentMethod(customerId), why: NO_CARD_MESSAGE };
  } catch (err) {
    if (!isStripeMissing(err)) throw err;
    await forgetStaleCustomer(deps, accountId, customerId);
    return { paymentMethodId: null, why: STALE_CUSTOMER_MESSAGE };
  }
}

/** Charges the saved card off-session for a payment row and credits the tokens once it succeeds. */
export async function chargePayment(deps: BillingDeps, payment: PaymentRow): Promise<Settled> {
  const { db } = deps.database;
  const customerId = await findStripeCustomerId(db, payment.accountId);
  const gateway = stripeGateway(deps.stripe);
  const { paymentMethodId, why } = await cardOf(deps, payment.accountId, customerId);
  if (!customerId || !paymentMethodId) return fail(deps, payment, new DomainError('NO_PAYMENT_METHOD', why));
  let paymentIntentId: string;
  try {
    ({ paymentIntentId } = await gateway.chargeOffSession({
      customerId,
      paymentMethodId,
      amount: payment.price,
      paymentId: payment.id,
      description: `Contox credits ${payment.packId}`,
      metadata: { creditPaymentId: payment.id, accountId: payment.accountId, packId: payment.packId },
    }));
  } catch (err) {
    if (isDomainError(err) && FINAL_FAILURES.has(err.code)) return fail(deps, payment, err, paymentMethodId);
    throw err;
  }
  const settled = await db.transaction((tx) =>
    settleSucceededPayment(tx, { paymentId: payment.id, paymentIntentId, now: deps.now() }),
  );
  if (!settled) throw new Error(`payment ${payment.id} vanished while settling`);
  return settled;
}
