import type { Executor } from '@contox/db';
import { apiTime } from '../../time';
import { emitEvent, emitEvents } from './emit-event';

interface PaymentFacts {
  id: string;
  accountId: string;
  kind: 'purchase' | 'auto_recharge';
  packId: string;
  tokens: number;
  price: number;
}

/**
 * `credits.purchased` or `auto_recharge.succeeded`, in the transaction that credited the pack: the ledger row
 * as GET /api/billing/credits shows it, with the balance after it.
 */
export function emitPaymentCredited(
  tx: Executor,
  payment: PaymentFacts,
  credited: { transactionId: string; balance: number; description: string | null },
  now: Date,
): Promise<void> {
  const transaction = {
    id: credited.transactionId,
    type: payment.kind,
    amount: payment.tokens,
    price: payment.price,
    ...(credited.description !== null ? { description: credited.description } : {}),
    createdAt: apiTime(now),
  };
  const data = { paymentId: payment.id, packId: payment.packId, balance: credited.balance, transaction };
  const type = payment.kind === 'purchase' ? 'credits.purchased' : 'auto_recharge.succeeded';
  return emitEvent(tx, { accountId: payment.accountId, type, data }, now);
}

/**
 * `auto_recharge.failed` (and `auto_recharge.paused` when the failure paused it until the owner acts), in the
 * transaction that recorded the failure. Failed pack purchases are answered to their buyer: no event.
 */
export async function emitRechargeFailed(
  tx: Executor,
  payment: PaymentFacts,
  failure: { code: string; message: string; paused: boolean },
  now: Date,
): Promise<void> {
  if (payment.kind !== 'auto_recharge') return;
  const { accountId } = payment;
  const data = {
    paymentId: payment.id,
    packId: payment.packId,
    tokens: payment.tokens,
    price: payment.price,
    code: failure.code,
    message: failure.message,
  };
  await emitEvents(
    tx,
    [
      { accountId, type: 'auto_recharge.failed', data },
      ...(failure.paused
        ? [
            {
              accountId,
              type: 'auto_recharge.paused' as const,
              data: { ...data, status: 'paused', pausedReason: failure.message },
            },
          ]
        : []),
    ],
    now,
  );
}
