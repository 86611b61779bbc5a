import { type Executor, schema } from '@contox/db';
import { and, eq } from 'drizzle-orm';
import { newId } from '../ids';
import { lockBalance } from './balance-lock';

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
  const [head] = await tx.select().from(schema.creditPayments).where(eq(schema.creditPayments.id, args.paymentId));
  if (!head) return null;
  const balance = await lockBalance(tx, head.accountId);
  const [payment] = await tx
    .select()
    .from(schema.creditPayments)
    .where(eq(schema.creditPayments.id, args.paymentId))
    .for('update');
  if (!payment) return null;
  const [existing] = await tx
    .select({ id: schema.creditTransactions.id })
    .from(schema.creditTransactions)
    .where(eq(schema.creditTransactions.externalRef, args.paymentIntentId));
  if (existing) return { transactionId: existing.id, balance, tokens: payment.tokens };

  const transactionId = newId('txn');
  const after = balance + payment.tokens;
  await tx.insert(schema.creditTransactions).values({
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
  await tx
    .update(schema.creditBalances)
    .set({ balance: after, updatedAt: args.now })
    .where(eq(schema.creditBalances.accountId, payment.accountId));
  await tx
    .update(schema.creditPayments)
    .set({ status: 'succeeded', paymentIntentId: args.paymentIntentId, updatedAt: args.now })
    .where(eq(schema.creditPayments.id, payment.id));
  // A recharge that failed at first and was paid in the end (e.g. after authentication) lifts its pause.
  await tx
    .update(schema.autoRechargeSettings)
    .set({ pausedPaymentId: null })
    .where(
      and(
        eq(schema.autoRechargeSettings.accountId, payment.accountId),
        eq(schema.autoRechargeSettings.pausedPaymentId, payment.id),
      ),
    );
  return { transactionId, balance: after, tokens: payment.tokens };
}

/** Records why a charge failed; a payment that already succeeded stays succeeded (late failure events). */
export async function settleFailedPayment(
  tx: Executor,
  args: { paymentId: string; paymentIntentId: string | null; code: string; message: string; now: Date },
): Promise<void> {
  const [payment] = await tx
    .select()
    .from(schema.creditPayments)
    .where(eq(schema.creditPayments.id, args.paymentId))
    .for('update');
  if (!payment || payment.status === 'succeeded') return;
  await tx
    .update(schema.creditPayments)
    .set({
      status: 'failed',
      failureCode: args.code,
      failureMessage: args.message,
      ...(args.paymentIntentId ? { paymentIntentId: args.paymentIntentId } : {}),
      updatedAt: args.now,
    })
    .where(eq(schema.creditPayments.id, payment.id));
  if (payment.kind === 'auto_recharge') {
    await tx
      .update(schema.autoRechargeSettings)
      .set({ pausedPaymentId: payment.id })
      .where(eq(schema.autoRechargeSettings.accountId, payment.accountId));
  }
}
