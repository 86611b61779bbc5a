import { settleFailedPayment } from '../../services/credits/settle-payment';
import { cardFailureToDomain } from '../../stripe/stripe-errors';
import type { EventHandler } from './index';

/** Records a declined credit payment with the same code and message the synchronous path would give. */
export const onPaymentFailed: EventHandler<'payment_intent.payment_failed'> = async (deps, event) => {
  const intent = event.data.object;
  const paymentId = intent.metadata?.creditPaymentId;
  if (!paymentId) return async () => {};
  const failure = cardFailureToDomain(intent.last_payment_error ?? {}, intent.id);
  return async (tx) => {
    await settleFailedPayment(tx, {
      paymentId,
      paymentIntentId: intent.id,
      code: failure.code,
      message: failure.message,
      now: deps.now(),
    });
  };
};
