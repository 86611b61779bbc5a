import { defaultCatalog, type Interval, type PlanId } from '@contox/core';
import { isoSecond, periodAt, type Span } from './calendar';

/** A paid subscription as the customer made it, in the model's terms (times in epoch ms). */
export interface Subscription {
  plan: PlanId;
  seats: number;
  interval: Interval;
  /** Stripe's billing cycle anchor: the moment the checkout was paid. */
  anchor: number;
  /** Set while a cancellation is pending: the end of the period it was asked in, when the plan stops. */
  cancelAt: number | null;
}

export const PAID_PLANS: readonly PlanId[] = ['personal', 'team', 'business', 'enterprise'];

const monthsOf = (interval: Interval): number => (interval === 'year' ? 12 : 1);

/** The billing period Stripe is in at `t`: renewals follow one another from the anchor. */
export function billingPeriod(sub: Subscription, t: number): Span {
  return periodAt(sub.anchor, monthsOf(sub.interval), t);
}

/**
 * The usage period (allowance, counters, recharge spending limit): the month, counted from the subscription's
 * anchor, that holds `t`; a yearly subscription has twelve (README, Billing policy). The soak pays every renewal
 * and changes plans within an interval, so the policy's renewal gap and past_due hold never show here.
 */
export function usagePeriod(sub: Subscription, t: number): Span {
  return periodAt(sub.anchor, 1, t);
}

/** `GET /api/billing/subscription` for a live subscription at `t`. */
export function liveView(sub: Subscription, t: number): Record<string, unknown> {
  const period = billingPeriod(sub, t);
  return {
    plan: sub.plan,
    status: 'active',
    seats: sub.seats,
    interval: sub.interval,
    currentPeriodStart: isoSecond(period.start),
    currentPeriodEnd: isoSecond(period.end),
    cancelAtPeriodEnd: sub.cancelAt !== null,
    cancelAt: sub.cancelAt === null ? null : isoSecond(sub.cancelAt),
  };
}

/** A seat count the plan sells, a few above its minimum. */
export function seatsFor(plan: PlanId, pick: (min: number, max: number) => number): number {
  const p = defaultCatalog.plans[plan];
  return pick(p.minSeats, Math.min(p.maxSeats ?? p.minSeats + 5, p.minSeats + 5));
}
