import { DomainError, defaultSeats, getPlan, type Interval, isPaidPlan, type Plan, validateSeats } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { allowedRedirect } from './redirect-url';

export interface CheckoutRequest {
  planId: string;
  interval: Interval;
  seats?: number | undefined;
  successUrl?: string | undefined;
  cancelUrl?: string | undefined;
}

/** What a checkout sells and where Stripe sends the payer afterwards, once the request is known to be valid. */
export interface CheckoutTerms {
  plan: Plan;
  interval: Interval;
  seats: number;
  successUrl: string;
  cancelUrl: string;
}

/**
 * Checks a checkout request against the catalogue and the allowed redirect origins. Seats left out keep
 * the running subscription's count (`currentSeats`), moved into the plan's bounds.
 */
export function checkoutTerms(
  deps: Pick<BillingDeps, 'catalog' | 'config'>,
  request: CheckoutRequest,
  currentSeats: number | null,
): CheckoutTerms {
  const { interval } = request;
  const plan = getPlan(deps.catalog, request.planId);
  if (!isPaidPlan(plan)) {
    throw new DomainError(
      'INVALID_INPUT',
      `planId: the ${plan.id} plan needs no checkout; cancel the subscription to return to it`,
    );
  }
  if (plan.prices[interval] === null) {
    throw new DomainError('INVALID_INPUT', `interval: the ${plan.id} plan is not sold per ${interval}`);
  }
  const seats = validateSeats(plan, request.seats ?? defaultSeats(plan, currentSeats));
  const base = `${deps.config.appUrl}/billing/plan`;
  return {
    plan,
    interval,
    seats,
    successUrl: allowedRedirect(deps.config, 'successUrl', request.successUrl, `${base}?checkout=success`),
    cancelUrl: allowedRedirect(deps.config, 'cancelUrl', request.cancelUrl, `${base}?checkout=cancelled`),
  };
}
