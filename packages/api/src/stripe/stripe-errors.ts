import { DomainError, isDomainError } from '@contox/core';
import type Stripe from 'stripe';
import { stripeErrors } from '../metrics';

type SdkError = Stripe.errors.StripeError;

// Compared by the SDK's `type` name rather than `instanceof`: the ESM and CJS builds of the SDK
// are distinct classes, and either may have produced the error.
function isSdkError(err: unknown): err is SdkError {
  return err instanceof Error && typeof (err as { type?: unknown }).type === 'string' && 'rawType' in err;
}

const declineReason = (code: string | null | undefined): string =>
  code && code !== 'generic_decline' ? ` (${code.replace(/_/g, ' ')})` : '';

export interface CardFailure {
  code?: string | null | undefined;
  decline_code?: string | null | undefined;
  message?: string | null | undefined;
}

/** A declined charge in domain terms, from the API's error or a PaymentIntent's `last_payment_error`. */
export function cardFailureToDomain(failure: CardFailure, paymentIntentId: string | undefined): DomainError {
  const message = failure.message ?? 'The payment failed.';
  const details = paymentIntentId ? { paymentIntentId } : {};
  if (failure.code === 'authentication_required') {
    return new DomainError(
      'AUTHENTICATION_REQUIRED',
      `${message} Buy on the checkout page instead (Billing > Credits, or POST /api/billing/credits/checkout), where your bank can confirm the payment, or save another card.`,
      details,
    );
  }
  return new DomainError(
    failure.code === 'card_declined' ? 'CARD_DECLINED' : 'PAYMENT_FAILED',
    `${message}${declineReason(failure.decline_code)}`,
    { ...details, declineCode: failure.decline_code ?? failure.code ?? null },
  );
}

/**
 * The one translation from Stripe SDK failures to domain errors. Card problems keep Stripe's own
 * text because it is written for the payer; outages become a retryable 503. Anything else (our own
 * invalid request, a bad key) is returned unchanged: it is a bug or a misconfiguration, a 500.
 */
export function stripeErrorToDomain(err: unknown): unknown {
  if (isDomainError(err) || !isSdkError(err)) return err;
  const paymentIntentId = err.payment_intent?.id;
  const details = paymentIntentId ? { paymentIntentId } : undefined;
  switch (err.type) {
    case 'StripeCardError':
      return cardFailureToDomain(err, paymentIntentId);
    case 'StripeInvalidRequestError':
      if (err.param === 'payment_method') {
        return new DomainError('NO_PAYMENT_METHOD', 'No usable card on file: add one in the billing portal', details);
      }
      return err;
    case 'StripeRateLimitError':
      return new DomainError('RATE_LIMITED', 'Stripe is rate limiting requests, try again in a moment', details);
    case 'StripeIdempotencyError':
      return new DomainError(
        'IDEMPOTENCY_CONFLICT',
        'Stripe refused a retried request whose parameters changed since the first attempt',
        details,
      );
    case 'StripeAPIError':
    case 'StripeConnectionError':
      return new DomainError('PAYMENT_PROVIDER_UNAVAILABLE', 'Stripe is unavailable, try again', details);
    default:
      return err;
  }
}

/**
 * Stripe answered that the object a call named does not exist: a customer or subscription deleted on Stripe's
 * side (or lost with a test-mode reset) whose id we still hold. Callers clear the stale id; never a 500.
 */
export function isStripeMissing(err: unknown): boolean {
  return isSdkError(err) && (err.code === 'resource_missing' || err.statusCode === 404);
}

/** Runs one Stripe call and rethrows its failure in domain terms. */
export async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    // A domain error was already counted by the inner call that translated it.
    if (!isDomainError(err)) stripeErrors.inc({ type: isSdkError(err) ? err.type : 'other' });
    throw stripeErrorToDomain(err);
  }
}
