import { settleSucceededPayment } from '../../services/credits/settle-payment';
import type { EventHandler } from './index';

/** Credits a purchase whose synchronous answer never arrived (timeout, crash); a no-op when it did. */
export const onPaymentSucceeded: EventHandler<'payment_intent.succeeded'> = async (deps, event) => {
  const intent = event.data.object;
  const paymentId = intent.metadata?.creditPaymentId;
  if (!paymentId) return async () => {};
  return async (tx) => {
    await settleSucceededPayment(tx, { paymentId, paymentIntentId: intent.id, now: deps.now() });
  };
};
