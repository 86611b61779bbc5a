import type { Executor } from '@contox/db';
import type Stripe from 'stripe';
import { newId } from '../../ids';
import { findStripeCustomerId } from '../../store/accounts';
import { appendLedgerEntry, findLedgerRowIdByRef, lockBalance } from '../../store/ledger';
import {
  findPayment,
  liftRechargePause,
  lockPayment,
  markPaymentFailed,
  markPaymentSucceeded,
  pauseAutoRecharge,
  type StoredPayment,
} from '../../store/payments';
import { CREDIT_CURRENCY } from '../../stripe/gateway';
import { cardFailureToDomain } from '../../stripe/stripe-errors';
import { emitPaymentCredited, emitRechargeFailed } from '../outbox/payment-events';

export interface Settled {
  transactionId: string;
  balance: number;
  tokens: number;
}

interface Locked {
  balance: number;
  payment: StoredPayment;
}

/** The account's balance, then the payment row, locked in that order (the order every balance writer takes). */
async function lockForSettlement(tx: Executor, paymentId: string): Promise<Locked | null> {
  const head = await findPayment(tx, paymentId);
  if (!head) return null;
  const balance = await lockBalance(tx, head.accountId);
  const payment = await lockPayment(tx, paymentId);
  return payment && { balance, payment };
}

async function credit(tx: Executor, locked: Locked, paymentIntentId: string, now: Date): Promise<Settled> {
  const { balance, payment } = locked;
  const existing = await findLedgerRowIdByRef(tx, payment.accountId, paymentIntentId);
  if (existing) return { transactionId: existing, balance, tokens: payment.tokens };

  const transactionId = newId('txn');
  const after = balance + payment.tokens;
  await appendLedgerEntry(tx, {
    id: transactionId,
    accountId: payment.accountId,
    type: payment.kind === 'purchase' ? 'purchase' : 'auto_recharge',
    amount: payment.tokens,
    price: payment.price,
    description: payment.kind === 'purchase' ? null : `Auto-recharge - ${payment.packId}`,
    externalRef: paymentIntentId,
    balanceAfter: after,
    createdAt: now,
  });
  await markPaymentSucceeded(tx, { paymentId: payment.id, paymentIntentId, now });
  // A recharge that failed at first and was paid in the end (e.g. after authentication) lifts its pause.
  await liftRechargePause(tx, payment.accountId, payment.id);
  const description = payment.kind === 'purchase' ? null : `Auto-recharge - ${payment.packId}`;
  await emitPaymentCredited(tx, payment, { transactionId, balance: after, description }, now);
  return { transactionId, balance: after, tokens: payment.tokens };
}

interface Failure {
  paymentIntentId: string | null;
  /** The card that failed, when known: a new default card lifts the auto-recharge pause it caused. */
  paymentMethodId?: string | null;
  code: string;
  message: string;
  now: Date;
}

async function recordFailure(tx: Executor, payment: StoredPayment, args: Failure): Promise<void> {
  if (payment.status === 'succeeded') return;
  await markPaymentFailed(tx, { paymentId: payment.id, ...args });
  if (payment.kind === 'auto_recharge') await pauseAutoRecharge(tx, payment.accountId, payment.id);
  // Once per payment: a failure reported again (another event, the reconciler) says nothing new.
  if (payment.status === 'pending') {
    await emitRechargeFailed(tx, payment, { code: args.code, message: args.message, paused: true }, args.now);
  }
}

/**
 * Credits a paid PaymentIntent exactly once, whoever gets here first: the synchronous purchase answer
 * or the `payment_intent.succeeded` webhook. The PaymentIntent id is the ledger row's unique reference.
 */
export async function settleSucceededPayment(
  tx: Executor,
  args: { paymentId: string; paymentIntentId: string; now: Date },
): Promise<Settled | null> {
  const locked = await lockForSettlement(tx, args.paymentId);
  if (!locked) return null;
  return credit(tx, locked, args.paymentIntentId, args.now);
}

/** Records why a charge failed; a payment that already succeeded stays succeeded (late failure events). */
export async function settleFailedPayment(tx: Executor, args: Failure & { paymentId: string }): Promise<void> {
  const payment = await lockPayment(tx, args.paymentId);
  if (payment) await recordFailure(tx, payment, args);
}

/** Why a PaymentIntent cannot settle this payment row, or null when it is the row's own charge. */
async function mismatchOf(tx: Executor, payment: StoredPayment, intent: Stripe.PaymentIntent): Promise<string | null> {
  if (payment.paymentIntentId !== null && payment.paymentIntentId !== intent.id) {
    return 'the payment was settled by another PaymentIntent';
  }
  if (intent.amount !== payment.price || intent.currency !== CREDIT_CURRENCY) return 'amount or currency differ';
  const customer = typeof intent.customer === 'string' ? intent.customer : (intent.customer?.id ?? null);
  if (customer === null || customer !== (await findStripeCustomerId(tx, payment.accountId))) {
    return "the PaymentIntent is not the account's customer's";
  }
  return null;
}

// A PaymentIntent back in one of these after a confirmation attempt was declined; any other state is still
// on its way (processing, awaiting an action) and says nothing final yet.
const DECLINED = new Set<Stripe.PaymentIntent.Status>(['requires_payment_method', 'canceled']);

/** What became of the row; `refused` says why the PaymentIntent could not settle it. */
export type IntentOutcome = { settled: 'credited' | 'failed' | 'in_progress' } | { refused: string };

/**
 * Settles the payment a PaymentIntent names (its `creditPaymentId` metadata) from the PaymentIntent as Stripe
 * has it (never from an event's payload): credited once when it succeeded, failed when it was declined, left
 * as it is while Stripe still works on it. The PaymentIntent must be the row's own charge (see mismatchOf),
 * else nothing changes.
 */
export async function settleFromIntent(
  tx: Executor,
  args: { intent: Stripe.PaymentIntent; now: Date },
): Promise<IntentOutcome> {
  const { intent, now } = args;
  const paymentId = intent.metadata?.creditPaymentId;
  const locked = paymentId ? await lockForSettlement(tx, paymentId) : null;
  if (!locked) return { refused: 'no such payment' };
  const mismatch = await mismatchOf(tx, locked.payment, intent);
  if (mismatch) return { refused: mismatch };
  if (intent.status === 'succeeded') {
    await credit(tx, locked, intent.id, now);
    return { settled: 'credited' };
  }
  if (!DECLINED.has(intent.status)) return { settled: 'in_progress' };
  // A checkout's payer may try another card on the same page: only the session's expiry ends it.
  if (locked.payment.checkoutSessionId !== null) return { settled: 'in_progress' };
  const { code, message } = cardFailureToDomain(intent.last_payment_error ?? {}, intent.id);
  const paymentMethodId = intent.last_payment_error?.payment_method?.id ?? null;
  await recordFailure(tx, locked.payment, { paymentIntentId: intent.id, paymentMethodId, code, message, now });
  return { settled: 'failed' };
}

/** A credit checkout that expired unpaid: failed, nothing charged; one settled meanwhile is left as it is. */
export async function expireCheckoutPayment(tx: Executor, args: { paymentId: string; now: Date }): Promise<boolean> {
  const payment = await lockPayment(tx, args.paymentId);
  if (payment?.status !== 'pending') return false;
  await markPaymentFailed(tx, {
    paymentId: payment.id,
    paymentIntentId: null,
    code: 'CHECKOUT_EXPIRED',
    message: 'The checkout expired unpaid: nothing was charged',
    now: args.now,
  });
  return true;
}

/**
 * A payment Stripe never received (no PaymentIntent carries it): failed, with nothing charged. Not a card's
 * fault, so an auto-recharge is not paused, and a payment settled meanwhile is left as it is.
 */
export async function abandonPayment(tx: Executor, args: { paymentId: string; now: Date }): Promise<boolean> {
  const payment = await lockPayment(tx, args.paymentId);
  if (payment?.status !== 'pending') return false;
  await markPaymentFailed(tx, {
    paymentId: payment.id,
    paymentIntentId: null,
    code: 'PAYMENT_PROVIDER_UNAVAILABLE',
    message: 'Stripe was unavailable and never received this charge: nothing was charged',
    now: args.now,
  });
  const unavailable = {
    code: 'PAYMENT_PROVIDER_UNAVAILABLE',
    message: 'Stripe never received the charge',
    paused: false,
  };
  await emitRechargeFailed(tx, payment, unavailable, args.now);
  return true;
}
