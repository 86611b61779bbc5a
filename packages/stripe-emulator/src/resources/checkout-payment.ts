import type Stripe from 'stripe';
import type { Ctx } from '../state';
import { answerAuthentication, confirmPayment, getPaymentIntent, runPayment } from './payment-intents';

export type PaymentStep =
  | { kind: 'paid' }
  | { kind: 'challenge'; paymentIntent: string }
  | { kind: 'failed'; code: string; message: string };

/** The session's PaymentIntent when a failed attempt left it ready for another card: Stripe retries with it. */
function reusableIntent(ctx: Ctx, cs: Stripe.Checkout.Session): Stripe.PaymentIntent | null {
  const id = typeof cs.payment_intent === 'string' ? cs.payment_intent : (cs.payment_intent?.id ?? null);
  if (!id) return null;
  const pi = getPaymentIntent(ctx, id);
  return pi.status === 'requires_payment_method' || pi.status === 'requires_action' ? pi : null;
}

function stepOf(result: { pi: Stripe.PaymentIntent; error: { body: { code?: string }; message: string } | null }) {
  if (result.error) {
    return { kind: 'failed', code: result.error.body.code ?? 'card_error', message: result.error.message } as const;
  }
  if (result.pi.status === 'requires_action') return { kind: 'challenge', paymentIntent: result.pi.id } as const;
  return { kind: 'paid' } as const;
}

/**
 * Pays a payment-mode session with the card typed on its page, the payer present: a card that asks for
 * 3-D Secure (Stripe's authentication test cards) waits for the challenge's answer (`answerCheckoutChallenge`).
 * The PaymentIntent carries `payment_intent_data`, not the session's metadata, as on Stripe.
 */
export function payCheckout(
  ctx: Ctx,
  cs: Stripe.Checkout.Session,
  pm: Stripe.PaymentMethod,
  customerId: string | null,
): PaymentStep {
  const data = ctx.em.store.checkoutExtras.get(cs.id)?.paymentIntentData;
  const reused = reusableIntent(ctx, cs);
  const result = reused
    ? confirmPayment(ctx, reused, pm, 'on_session')
    : runPayment(ctx, {
        amount: cs.amount_total ?? 0,
        currency: cs.currency ?? 'eur',
        customer: customerId,
        paymentMethod: pm,
        mode: 'on_session',
        confirm: true,
        description: data?.description ?? null,
        metadata: { ...(data?.metadata ?? {}) },
        setupFutureUsage: data?.setupFutureUsage ?? null,
      });
  cs.payment_intent = result.pi.id;
  return stepOf(result);
}

/** The payer's answer on the challenge of a session's PaymentIntent. */
export function answerCheckoutChallenge(ctx: Ctx, cs: Stripe.Checkout.Session, passed: boolean): PaymentStep {
  const id = typeof cs.payment_intent === 'string' ? cs.payment_intent : (cs.payment_intent?.id ?? null);
  if (!id) return { kind: 'failed', code: 'payment_intent_unexpected_state', message: 'Nothing to authenticate.' };
  return stepOf(answerAuthentication(ctx, getPaymentIntent(ctx, id), passed));
}
