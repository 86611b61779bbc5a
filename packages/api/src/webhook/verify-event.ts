import type Stripe from 'stripe';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export class WebhookRejected extends Error {}

/**
 * Checks the `Stripe-Signature` header over the exact bytes received. The SDK refuses timestamps
 * older than the tolerance; one too far in the future is refused here, since a replay window that
 * opens later is still a replay window. Signature times are Stripe's wall clock, so they are compared
 * with ours, not with the service's injectable billing clock.
 */
export function verifyStripeEvent(
  stripe: Stripe,
  raw: Buffer,
  header: string | undefined,
  secret: string,
): Stripe.Event {
  const nowMs = Date.now();
  if (!header) throw new WebhookRejected('Missing Stripe-Signature header');
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(raw, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, nowMs);
  } catch (err) {
    throw new WebhookRejected(err instanceof Error ? err.message : 'Invalid webhook signature');
  }
  const timestamp = Number(/(?:^|,)\s*t=(\d+)/.exec(header)?.[1]);
  if (timestamp > Math.floor(nowMs / 1000) + SIGNATURE_TOLERANCE_SECONDS) {
    throw new WebhookRejected('Webhook timestamp is in the future');
  }
  return event;
}
