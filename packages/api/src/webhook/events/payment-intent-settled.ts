import type Stripe from 'stripe';
import { z } from 'zod';
import { settleFromIntent } from '../../services/credits/settle-payment';
import { stripeGateway } from '../../stripe/gateway';
import { ignored, logIgnored, noEffect } from './ignored';
import type { EventHandler } from './index';

const IntentEvent = z.object({
  data: z.object({ object: z.object({ metadata: z.record(z.string(), z.unknown()).nullish() }) }),
});

/**
 * The PaymentIntent in Stripe's own copy of an event, if it holds one (a charge event's charge carries the same
 * metadata, and must not pass for it). Its status, not the event's type, says what became of the payment.
 */
function intentOf(event: Stripe.Event | null): Stripe.PaymentIntent | null {
  const object = event?.data.object as { object?: unknown } | undefined;
  return object?.object === 'payment_intent' ? (object as Stripe.PaymentIntent) : null;
}

/**
 * A credit charge succeeded or failed. What the payload says is not used: Stripe's own copy of the event is read
 * (one Stripe never sent changes nothing), and its PaymentIntent, as Stripe recorded it, credits the payment once
 * or records its failure through the same settlement as the purchase answer and the reconciler. The copy rather
 * than a fresh read of the PaymentIntent: it also proves the delivery is Stripe's, and a success it recorded is
 * final (a failure may be followed by a success, whose own event then credits the payment).
 */
export const onPaymentIntentSettled: EventHandler<
  'payment_intent.succeeded' | 'payment_intent.payment_failed'
> = async (deps, event) => {
  const parsed = IntentEvent.safeParse(event);
  if (!parsed.success) return ignored(deps, event, 'no PaymentIntent in the payload');
  // Only our credit charges carry it; any other PaymentIntent (a subscription's invoice) is not ours to settle.
  if (typeof parsed.data.data.object.metadata?.creditPaymentId !== 'string') return noEffect;
  const intent = intentOf(await stripeGateway(deps.stripe).findEvent(event.id));
  if (!intent) return ignored(deps, event, 'Stripe sent no such PaymentIntent event');
  return async (tx) => {
    const outcome = await settleFromIntent(tx, { intent, now: deps.now() });
    if ('refused' in outcome) {
      logIgnored(deps, event, outcome.refused, {
        paymentIntentId: intent.id,
        paymentId: intent.metadata?.creditPaymentId,
      });
    }
  };
};
