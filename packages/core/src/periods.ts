import type { Plan } from './catalog/types';
import { isPaidPlan } from './catalog/catalog';
import { invalidInput } from './errors';

/** Half-open: `[start, end)`. */
export interface Period {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
/** The longest calendar month; a billing period longer than this is a yearly one. */
const LONGEST_MONTH_MS = 31 * DAY_MS;

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
 * The usage period: counters, the token allowance and the auto-recharge spending limit all reset with it.
 * Allowances are monthly, so a yearly subscription period is cut into monthly periods anchored on its start.
 * Without a current subscription (free plan, or a renewal not yet confirmed) periods anchor on account creation.
 */
export function currentPeriod(args: {
  plan: Plan;
  accountCreatedAt: Date;
  subscriptionPeriod: Period | null;
  now: Date;
}): Period {
  const { plan, accountCreatedAt, subscriptionPeriod, now } = args;
  const nowMs = requireDate(now, 'now');
  if (isPaidPlan(plan) && subscriptionPeriod !== null) {
    const startMs = requireDate(subscriptionPeriod.start, 'subscriptionPeriod.start');
    const endMs = requireDate(subscriptionPeriod.end, 'subscriptionPeriod.end');
    if (startMs <= nowMs && nowMs < endMs) {
      if (endMs - startMs <= LONGEST_MONTH_MS) return { start: new Date(startMs), end: new Date(endMs) };
      const month = freePeriodAt(subscriptionPeriod.start, now);
      return { start: month.start, end: new Date(Math.min(month.end.getTime(), endMs)) };
    }
  }
  return freePeriodAt(accountCreatedAt, now);
}
