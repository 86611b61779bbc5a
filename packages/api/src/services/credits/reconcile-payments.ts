import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import { findStripeCustomerId } from '../../store/accounts';
import { listStalePendingPayments, type StoredPayment } from '../../store/payments';
import { stripeGateway } from '../../stripe/gateway';
import { settleCreditCheckout } from './settle-checkout';
import { abandonPayment, settleFromIntent } from './settle-payment';

/**
 * How long a payment may stay pending before it is settled from Stripe. A Stripe call times out after 80 s and
 * the SDK makes three attempts, and a purchase's idempotency claim counts as dead after 5 minutes: past this,
 * no attempt can still be charging it, so finding no charge on Stripe means there is none.
 */
export const SETTLE_PENDING_AFTER_MS = 10 * 60_000;

const PAGE = 100;

/** `settled_meanwhile`: another run, the webhook or the purchase itself got there first. */
export type Reconciled =
  | 'credited'
  | 'failed'
  | 'in_progress'
  | 'abandoned'
  | 'settled_meanwhile'
  | 'refused'
  | 'unreachable';

/**
 * The charge Stripe made for this payment, if any, found by the metadata every charge carries (a pending
 * payment has no PaymentIntent id of ours yet): the one that succeeded, else the newest.
 */
async function chargeOf(deps: BillingDeps, payment: StoredPayment): Promise<Stripe.PaymentIntent | null> {
  // Without a customer the account has no card, and nothing can have been charged.
  const customerId = await findStripeCustomerId(deps.database.db, payment.accountId);
  if (!customerId) return null;
  const charges = await stripeGateway(deps.stripe).paymentIntentsOfPayment(customerId, payment.id);
  return charges.find((pi) => pi.status === 'succeeded') ?? charges[0] ?? null;
}

/** A checkout's payment waits for its payer until Stripe expires the session; its state there settles it. */
async function reconcileCheckout(deps: BillingDeps, payment: StoredPayment): Promise<Reconciled> {
  const outcome = await settleCreditCheckout(deps, payment);
  return outcome === 'paid' ? 'credited' : outcome === 'expired' ? 'failed' : 'in_progress';
}

async function reconcileOne(deps: BillingDeps, payment: StoredPayment): Promise<Reconciled> {
  if (payment.checkoutSessionId !== null) return reconcileCheckout(deps, payment);
  const { db } = deps.database;
  const intent = await chargeOf(deps, payment);
  if (!intent) {
    const abandoned = await db.transaction((tx) => abandonPayment(tx, { paymentId: payment.id, now: deps.now() }));
    return abandoned ? 'abandoned' : 'settled_meanwhile';
  }
  const outcome = await db.transaction((tx) => settleFromIntent(tx, { intent, now: deps.now() }));
  if ('settled' in outcome) return outcome.settled;
  deps.log.warn('pending payment not settled', {
    paymentId: payment.id,
    paymentIntentId: intent.id,
    reason: outcome.refused,
  });
  return 'refused';
}

/**
 * Settles payments left pending (a purchase whose answer was lost while Stripe was down, a process that died
 * mid-charge) from what Stripe holds, through the same settlement as the webhook: credited once when Stripe
 * charged, failed when it declined or never received the charge. Stripe still down leaves a payment pending
 * for the next run. Safe to run from several processes at once: each settlement locks its payment row.
 */
export async function reconcilePendingPayments(
  deps: BillingDeps,
  opts: { olderThanMs: number },
): Promise<{ paymentId: string; outcome: Reconciled }[]> {
  const results: { paymentId: string; outcome: Reconciled }[] = [];
  // Page by page: payments that stay pending (Stripe unreachable, still processing) never hide the later ones.
  let afterId: string | null = null;
  for (;;) {
    const page = await listStalePendingPayments(deps.database.db, {
      olderThanMs: opts.olderThanMs,
      afterId,
      limit: PAGE,
    });
    for (const payment of page) {
      const outcome = await reconcileOne(deps, payment).catch((err: unknown) => {
        deps.log.warn('pending payment not settled', { paymentId: payment.id, error: String(err) });
        return 'unreachable' as const;
      });
      if (outcome !== 'in_progress') deps.log.info('pending payment reconciled', { paymentId: payment.id, outcome });
      results.push({ paymentId: payment.id, outcome });
    }
    afterId = page.at(-1)?.id ?? null;
    if (page.length < PAGE) return results;
  }
}
