import type { Plan } from './catalog/types';
import { isPaidPlan } from './catalog/catalog';
import { invalidInput } from './errors';

/** Half-open: `[start, end)`. */
export interface Period {
  start: Date;
  end: Date;
}

function requireDate(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalidInput(`${name} must be a valid date`);
  return ms;
}

/** `Date.UTC` maps years 0-99 to 1900-1999; `setUTCFullYear` does not. */
function utc(year: number, month: number, day: number): number {
  return new Date(0).setUTCFullYear(year, month, day);
}

const daysInMonth = (year: number, month: number): number => new Date(utc(year, month + 1, 0)).getUTCDate();

/**
 * The anchor shifted by whole months, its day clamped to the target month (Jan 31 + 1 month = Feb 28/29)
 * but always computed from the anchor, so later months return to day 31. Same rule as Stripe's billing cycle.
 */
function monthsAfter(anchor: Date, months: number): number {
  const index = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const anchorMidnight = utc(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  const timeOfDay = anchor.getTime() - anchorMidnight;
  return utc(year, month, Math.min(anchor.getUTCDate(), daysInMonth(year, month))) + timeOfDay;
}

/** The monthly period, anchored on `anchor`, that contains `now` (also before the anchor, for clock skew). */
export function freePeriodAt(anchor: Date, now: Date): Period {
  requireDate(anchor, 'anchor');
  const nowMs = requireDate(now, 'now');
  let k = (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (now.getUTCMonth() - anchor.getUTCMonth());
  // That start falls in now's calendar month; when now precedes the anchor's day or time there, it is one too far.
  if (monthsAfter(anchor, k) > nowMs) k -= 1;
  return { start: new Date(monthsAfter(anchor, k)), end: new Date(monthsAfter(anchor, k + 1)) };
}

/**
 * What a paid subscription's usage periods depend on. Usage periods are the monthly periods anchored on
 * `anchor` (a yearly subscription has twelve); none starts at or after `paidThrough` until Stripe says it is paid.
 */
export interface UsageTerms {
  /** The subscription's billing anchor when it began: Stripe moving it (an interval change) does not move this. */
  anchor: Date;
  /** The end of the time paid for: the current billing period's end once its invoice is paid. */
  paidThrough: Date;
}

/** What Stripe says about a subscription, as far as its usage terms go. */
export interface BillingPeriodState {
  billingAnchor: Date;
  periodStart: Date;
  periodEnd: Date;
  /** The current billing period is paid for (status active or trialing, its latest invoice not owed). */
  paid: boolean;
}

/**
 * The usage terms after Stripe reports a subscription's state at `now`, given the terms held before (null for a
 * subscription seen for the first time). The anchor never moves, so plan, seat and interval changes keep the
 * usage period, its counters and its spending. `paidThrough` follows the billing period only while it is paid,
 * so a renewal whose invoice is owed (past_due, or not yet charged) opens no new period; and it never falls
 * before the end of the period in force, so a late or shorter report never brings back an earlier period.
 */
export function nextUsageTerms(previous: UsageTerms | null, state: BillingPeriodState, now: Date): UsageTerms {
  requireDate(state.billingAnchor, 'billingAnchor');
  requireDate(state.periodStart, 'periodStart');
  const periodEndMs = requireDate(state.periodEnd, 'periodEnd');
  if (previous === null) {
    return { anchor: state.billingAnchor, paidThrough: state.paid ? state.periodEnd : state.periodStart };
  }
  if (!state.paid) return { ...previous };
  const inForce = usagePeriod(previous, now);
  return { anchor: previous.anchor, paidThrough: new Date(Math.max(periodEndMs, inForce.end.getTime())) };
}

/** The month of the anchor that contains now, held before the first period and before the unpaid time. */
function usagePeriod(terms: UsageTerms, now: Date): Period {
  const nowMs = requireDate(now, 'now');
  const anchorMs = requireDate(terms.anchor, 'subscription.anchor');
  const paidThroughMs = requireDate(terms.paidThrough, 'subscription.paidThrough');
  const at = Math.min(Math.max(nowMs, anchorMs), Math.max(paidThroughMs - 1, anchorMs));
  return freePeriodAt(terms.anchor, new Date(at));
}

/**
 * The usage period: counters, the token allowance and the auto-recharge spending limit all reset with it.
 * A paid plan's periods are its subscription's monthly usage periods; past `paidThrough` (the renewal not yet
 * received or not yet paid) the last paid period stays current, so no period is entered twice and none without
 * being paid. Without a live subscription (free plan) periods anchor on account creation.
 */
export function currentPeriod(args: {
  plan: Plan;
  accountCreatedAt: Date;
  subscription: UsageTerms | null;
  now: Date;
}): Period {
  const { plan, accountCreatedAt, subscription, now } = args;
  requireDate(now, 'now');
  if (!isPaidPlan(plan) || subscription === null) return freePeriodAt(accountCreatedAt, now);
  return usagePeriod(subscription, now);
}
