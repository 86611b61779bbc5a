import { DomainError, isDomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { findStripeCustomerId } from '../../store/accounts';
import type { PaymentRow } from '../../store/payments';
import { stripeGateway } from '../../stripe/gateway';
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

/** Charges the saved card off-session for a payment row and credits the tokens once it succeeds. */
export async function chargePayment(deps: BillingDeps, payment: PaymentRow): Promise<Settled> {
  const { db } = deps.database;
  const customerId = await findStripeCustomerId(db, payment.accountId);
  const gateway = stripeGateway(deps.stripe);
  const paymentMethodId = customerId ? await gateway.defaultPaymentMethod(customerId) : null;
  if (!customerId || !paymentMethodId) {
    return fail(deps, payment, new DomainError('NO_PAYMENT_METHOD', NO_CARD_MESSAGE));
  }
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
