import type Stripe from 'stripe';
import { z } from 'zod';
import type { BillingDeps } from '../../deps';
import { applyCheckoutState } from '../../services/credits/settle-checkout';
import { findPaymentByCheckoutSession } from '../../store/payments';
import { creditCheckoutGateway } from '../../stripe/credit-checkout';
import { ignored, noEffect } from './ignored';
import type { Effect, EventHandler } from './index';

/**
 * A credit checkout completed or expired. Only sessions we opened for a payment row count; the session and its
 * PaymentIntent are read again from Stripe and settle the payment as the return and the reconciler do: the
 * pack credited once when paid, the payment failed when the session expired unpaid.
 */
export async function creditCheckoutEffect(deps: BillingDeps, event: Stripe.Event, sessionId: string): Promise<Effect> {
  const payment = await findPaymentByCheckoutSession(deps.database.db, sessionId);
  // Another integration's payment checkout is not ours to settle.
  if (!payment) return noEffect;
  const state = await creditCheckoutGateway(deps.stripe).find(sessionId);
  if (!state) return ignored(deps, event, 'Stripe has no such checkout session', { sessionId });
  return async (tx) => {
    await applyCheckoutState(tx, payment, state, deps.now());
  };
}

const SessionRef = z.object({ data: z.object({ object: z.object({ id: z.string(), mode: z.unknown() }) }) });

export const onCheckoutExpired: EventHandler<'checkout.session.expired'> = async (deps, event) => {
  const parsed = SessionRef.safeParse(event);
  if (!parsed.success) return ignored(deps, event, 'no checkout session in the payload');
  const { id, mode } = parsed.data.data.object;
  return mode === 'payment' ? creditCheckoutEffect(deps, event, id) : noEffect;
};
