import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currentPeriod,
  defaultCatalog,
  freePeriodAt,
  nextUsageTerms,
  type Period,
  type UsageTerms,
} from '../src/index';

// A model of what Stripe does to one subscription over time (renewals paid or owed, invoices paid later, seat and
// plan changes, interval changes that move the billing anchor, renewals that arrive late), with the usage terms
// updated from each report as the service does, checking the usage period after every step.

const DAY = 86_400_000;
const team = defaultCatalog.plans.team;

/** Stripe's view of the subscription. */
interface Billing {
  billingAnchor: Date;
  periodStart: Date;
  periodEnd: Date;
  months: 1 | 12;
  paid: boolean;
}

type Action =
  | { type: 'wait'; ms: number }
  | { type: 'renew'; pays: boolean }
  | { type: 'pay' }
  | { type: 'seats' }
  | { type: 'interval'; pays: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 45 * DAY }) }),
  fc.record({ type: fc.constant('renew' as const), pays: fc.boolean() }),
  fc.constant({ type: 'pay' as const }),
  fc.constant({ type: 'seats' as const }),
  fc.record({ type: fc.constant('interval' as const), pays: fc.boolean() }),
);

/** `months` billing months after `start`, on the anchor's grid (as Stripe's cycle). */
function monthsLater(anchor: Date, start: Date, months: number): Date {
  let end = start;
  for (let i = 0; i < months; i++) end = freePeriodAt(anchor, end).end;
  return end;
}

/** Applies one action; true when Stripe reported a change of the subscription. */
function apply(billing: Billing, a: Action, clock: { now: Date }): boolean {
  switch (a.type) {
    case 'wait':
      clock.now = new Date(clock.now.getTime() + a.ms);
      return false;
    case 'renew':
      // Stripe renews once the period has ended (the report may come late: the gap is the waiting before).
      if (clock.now < billing.periodEnd) return false;
      billing.periodStart = billing.periodEnd;
      billing.periodEnd = monthsLater(billing.billingAnchor, billing.periodStart, billing.months);
      billing.paid = a.pays;
      return true;
    case 'pay':
      billing.paid = true;
      return true;
    case 'seats':
      return true;
    case 'interval':
      billing.months = billing.months === 1 ? 12 : 1;
      billing.billingAnchor = clock.now;
      billing.periodStart = clock.now;
      billing.periodEnd = monthsLater(clock.now, clock.now, billing.months);
      billing.paid = a.pays;
      return true;
  }
}

const same = (a: Period, b: Period) => a.start.getTime() === b.start.getTime() && a.end.getTime() === b.end.getTime();

describe('usage periods under every subscription change (property)', () => {
  it('never go back or restart, are monthly, stay put across changes, and open only once paid', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(1 as const, 12 as const),
        fc.array(action, { maxLength: 40 }),
        (start, months, actions) => {
          const clock = { now: start };
          const billing: Billing = {
            billingAnchor: start,
            periodStart: start,
            periodEnd: monthsLater(start, start, months),
            months,
            paid: true,
          };
          let terms: UsageTerms = nextUsageTerms(null, billing, clock.now);
          const periodNow = () =>
            currentPeriod({ plan: team, accountCreatedAt: start, subscription: terms, now: clock.now });
          let last = periodNow();
          // The model's own account of what was paid: the latest end of a billing period Stripe reported paid.
          let paidUntil = billing.periodEnd.getTime();
          for (const a of actions) {
            const wasPaidNow = clock.now < terms.paidThrough;
            if (apply(billing, a, clock)) terms = nextUsageTerms(terms, billing, clock.now);
            if (billing.paid) paidUntil = Math.max(paidUntil, billing.periodEnd.getTime());
            const p = periodNow();
            // Never back to an earlier period, and a period keeps its end: each start is one period, entered once.
            expect(p.start.getTime()).toBeGreaterThanOrEqual(last.start.getTime());
            if (p.start.getTime() === last.start.getTime()) expect(same(p, last)).toBe(true);
            // Monthly, whatever the billing interval.
            const days = (p.end.getTime() - p.start.getTime()) / DAY;
            expect(days).toBeGreaterThanOrEqual(28);
            expect(days).toBeLessThanOrEqual(31);
            // No period is entered before it is paid for.
            expect(p.start.getTime()).toBeLessThan(paidUntil);
            // Plan, seat and interval changes keep the period in force.
            if ((a.type === 'seats' || a.type === 'interval') && wasPaidNow) expect(same(p, last)).toBe(true);
            // While paid, the period is the one that contains now.
            if (clock.now < terms.paidThrough) {
              expect(p.start.getTime()).toBeLessThanOrEqual(clock.now.getTime());
              expect(clock.now.getTime()).toBeLessThan(p.end.getTime());
            }
            last = p;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
