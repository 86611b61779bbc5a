import type { Executor } from '@contox/db';
import { newId } from '../../ids';
import { appendLedgerEntry, findLedgerRowIdByRef, lockBalance } from '../../store/ledger';
import {
  findPayment,
  liftRechargePause,
  lockPayment,
  markPaymentFailed,
  markPaymentSucceeded,
  pauseAutoRecharge,
} from '../../store/payments';

export interface Settled {
  transactionId: string;
  balance: number;
  tokens: number;
}

/**
 * Credits a paid PaymentIntent exactly once, whoever gets here first: the synchronous purchase answer
 * or the `payment_intent.succeeded` webhook. The PaymentIntent id is the ledger row's unique reference.
 */
export async function settleSucceededPayment(
  tx: Executor,
  args: { paymentId: string; paymentIntentId: string; now: Date },
): Promise<Settled | null> {
  const head = await findPayment(tx, args.paymentId);
  if (!head) return null;
  const balance = await lockBalance(tx, head.accountId);
  const payment = await lockPayment(tx, args.paymentId);
  if (!payment) return null;
  const existing = await findLedgerRowIdByRef(tx, args.paymentIntentId);
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
    externalRef: args.paymentIntentId,
    balanceAfter: after,
    createdAt: args.now,
  });
  await markPaymentSucceeded(tx, { paymentId: payment.id, paymentIntentId: args.paymentIntentId, now: args.now });
  // A recharge that failed at first and was paid in the end (e.g. after authentication) lifts its pause.
  await liftRechargePause(tx, payment.accountId, payment.id);
  return { transactionId, balance: after, tokens: payment.tokens };
}

/** Records why a charge failed; a payment that already succeeded stays succeeded (late failure events). */
export async function settleFailedPayment(
  tx: Executor,
  args: { paymentId: string; paymentIntentId: string | null; code: string; message: string; now: Date },
): Promise<void> {
  const payment = await lockPayment(tx, args.paymentId);
  if (!payment || payment.status === 'succeeded') return;
  await markPaymentFailed(tx, args);
  if (payment.kind === 'auto_recharge') await pauseAutoRecharge(tx, payment.accountId, payment.id);
}
