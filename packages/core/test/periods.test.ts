import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Period, currentPeriod, defaultCatalog, freePeriodAt, nextUsageTerms } from '../src/index';
import { catchDomainError, utc } from './helpers';

const iso = (p: Period) => [p.start.toISOString(), p.end.toISOString()];

describe('freePeriodAt', () => {
  it('is monthly, anchored on account creation, keeping the time of day', () => {
    const anchor = utc('2025-01-15T10:30:00Z');
    expect(iso(freePeriodAt(anchor, utc('2025-01-15T10:30:00Z')))).toEqual([
      '2025-01-15T10:30:00.000Z',
      '2025-02-15T10:30:00.000Z',
    ]);
    expect(iso(freePeriodAt(anchor, utc('2025-02-15T10:29:59.999Z')))).toEqual([
      '2025-01-15T10:30:00.000Z',
      '2025-02-15T10:30:00.000Z',
    ]);
    expect(iso(freePeriodAt(anchor, utc('2025-02-15T10:30:00Z')))).toEqual([
      '2025-02-15T10:30:00.000Z',
      '2025-03-15T10:30:00.000Z',
    ]);
    expect(iso(freePeriodAt(anchor, utc('2026-12-31T23:59:59Z')))).toEqual([
      '2026-12-15T10:30:00.000Z',
      '2027-01-15T10:30:00.000Z',
    ]);
  });

  it('clamps a Jan 31 anchor to shorter month ends and returns to the 31st', () => {
    const anchor = utc('2025-01-31T08:00:00Z');
    const starts = [];
    let at = anchor;
    for (let i = 0; i < 12; i++) {
      const period = freePeriodAt(anchor, at);
      starts.push(period.start.toISOString().slice(0, 10));
      at = period.end;
    }
    expect(starts).toEqual([
      '2025-01-31',
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
      '2025-06-30',
      '2025-07-31',
      '2025-08-31',
      '2025-09-30',
      '2025-10-31',
      '2025-11-30',
      '2025-12-31',
    ]);
  });

  it('uses Feb 29 in leap years', () => {
    const anchor = utc('2023-01-31T00:00:00Z');
    expect(iso(freePeriodAt(anchor, utc('2024-03-01T00:00:00Z')))).toEqual([
      '2024-02-29T00:00:00.000Z',
      '2024-03-31T00:00:00.000Z',
    ]);
    expect(iso(freePeriodAt(anchor, utc('2023-03-01T00:00:00Z')))).toEqual([
      '2023-02-28T00:00:00.000Z',
      '2023-03-31T00:00:00.000Z',
    ]);
  });

  it('a Feb 29 anchor lands on Feb 28 in common years and 29 in leap years', () => {
    const anchor = utc('2024-02-29T12:00:00Z');
    expect(iso(freePeriodAt(anchor, utc('2025-02-28T12:00:00Z')))).toEqual([
      '2025-02-28T12:00:00.000Z',
      '2025-03-29T12:00:00.000Z',
    ]);
    expect(iso(freePeriodAt(anchor, utc('2028-02-29T11:00:00Z')))).toEqual([
      '2028-01-29T12:00:00.000Z',
      '2028-02-29T12:00:00.000Z',
    ]);
  });

  it('a 30th anchor crosses year ends and February correctly', () => {
    const anchor = utc('2024-11-30T23:00:00Z');
    expect(iso(freePeriodAt(anchor, utc('2025-01-01T00:00:00Z')))).toEqual([
      '2024-12-30T23:00:00.000Z',
      '2025-01-30T23:00:00.000Z',
    ]);
    expect(iso(freePeriodAt(anchor, utc('2025-03-01T00:00:00Z')))).toEqual([
      '2025-02-28T23:00:00.000Z',
      '2025-03-30T23:00:00.000Z',
    ]);
  });

  it('handles now before the anchor (clock skew) with the period before it', () => {
    expect(iso(freePeriodAt(utc('2025-03-31T00:00:00Z'), utc('2025-03-30T00:00:00Z')))).toEqual([
      '2025-02-28T00:00:00.000Z',
      '2025-03-31T00:00:00.000Z',
    ]);
  });

  it('refuses invalid dates, naming them', () => {
    const at = utc('2025-01-01T00:00:00Z');
    const message = (fn: () => unknown) => catchDomainError(fn, 'INVALID_INPUT').message;
    expect(message(() => freePeriodAt(new Date(Number.NaN), at))).toBe('anchor must be a valid date');
    expect(message(() => freePeriodAt(at, new Date('nope')))).toBe('now must be a valid date');
    expect(message(() => freePeriodAt(at, '2025-01-01' as unknown as Date))).toBe('now must be a valid date');
  });

  const date = fc.date({
    min: new Date('1990-01-01T00:00:00Z'),
    max: new Date('2200-01-01T00:00:00Z'),
    noInvalidDate: true,
  });

  it('property: contains now, is 28-31 days, starts on the clamped anchor day at the anchor time, and tiles time', () => {
    fc.assert(
      fc.property(date, date, (anchor, now) => {
        const p = freePeriodAt(anchor, now);
        expect(p.start.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(now.getTime()).toBeLessThan(p.end.getTime());
        const days = (p.end.getTime() - p.start.getTime()) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(28);
        expect(days).toBeLessThanOrEqual(31);
        const monthDays = new Date(Date.UTC(p.start.getUTCFullYear(), p.start.getUTCMonth() + 1, 0)).getUTCDate();
        expect(p.start.getUTCDate()).toBe(Math.min(anchor.getUTCDate(), monthDays));
        expect(p.start.toISOString().slice(10)).toBe(anchor.toISOString().slice(10));
        // Consecutive periods share their boundary: no gap, no overlap.
        expect(freePeriodAt(anchor, p.end).start.getTime()).toBe(p.end.getTime());
        expect(freePeriodAt(anchor, new Date(p.start.getTime() - 1)).end.getTime()).toBe(p.start.getTime());
      }),
    );
  });
});

describe('currentPeriod', () => {
  const { free, team } = defaultCatalog.plans;
  const accountCreatedAt = utc('2024-05-31T09:00:00Z');
  const terms = (anchor: string, paidThrough: string) => ({ anchor: utc(anchor), paidThrough: utc(paidThrough) });

  it('is the monthly period of the subscription anchor that contains now', () => {
    const subscription = terms('2025-01-10T00:00:00Z', '2025-02-10T00:00:00Z');
    const p = currentPeriod({ plan: team, accountCreatedAt, subscription, now: utc('2025-01-20T00:00:00Z') });
    expect(iso(p)).toEqual(['2025-01-10T00:00:00.000Z', '2025-02-10T00:00:00.000Z']);
  });

  it("clamps like Stripe's billing cycle (anchor Jan 31: Feb 28 -> Mar 31)", () => {
    const subscription = terms('2025-01-31T00:00:00Z', '2025-04-30T00:00:00Z');
    const p = currentPeriod({ plan: team, accountCreatedAt, subscription, now: utc('2025-03-29T00:00:00Z') });
    expect(iso(p)).toEqual(['2025-02-28T00:00:00.000Z', '2025-03-31T00:00:00.000Z']);
  });

  it('cuts a paid year into twelve monthly periods anchored on its start', () => {
    const subscription = terms('2024-01-31T00:00:00Z', '2025-01-31T00:00:00Z');
    const at = (now: string) => iso(currentPeriod({ plan: team, accountCreatedAt, subscription, now: utc(now) }));
    expect(at('2024-02-01T00:00:00Z')).toEqual(['2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z']);
    expect(at('2024-03-30T00:00:00Z')).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z']);
    expect(at('2025-01-30T00:00:00Z')).toEqual(['2024-12-31T00:00:00.000Z', '2025-01-31T00:00:00.000Z']);
  });

  it('past paidThrough (renewal not received, or its invoice owed) the last paid period stays current', () => {
    const subscription = terms('2025-01-10T00:00:00Z', '2025-02-10T00:00:00Z');
    const at = (now: string) => iso(currentPeriod({ plan: team, accountCreatedAt, subscription, now: utc(now) }));
    const last = ['2025-01-10T00:00:00.000Z', '2025-02-10T00:00:00.000Z'];
    expect(at('2025-02-10T00:00:00Z')).toEqual(last);
    expect(at('2025-03-25T00:00:00Z')).toEqual(last);
  });

  it('before the anchor (clock skew) the first period is current', () => {
    const subscription = terms('2025-01-10T00:00:00Z', '2025-02-10T00:00:00Z');
    const p = currentPeriod({ plan: team, accountCreatedAt, subscription, now: utc('2025-01-09T00:00:00Z') });
    expect(iso(p)).toEqual(['2025-01-10T00:00:00.000Z', '2025-02-10T00:00:00.000Z']);
  });

  it('without a live subscription, and on the free plan, periods anchor on account creation', () => {
    const now = utc('2025-03-01T00:00:00Z');
    const expected = ['2025-02-28T09:00:00.000Z', '2025-03-31T09:00:00.000Z'];
    expect(iso(currentPeriod({ plan: free, accountCreatedAt, subscription: null, now }))).toEqual(expected);
    expect(iso(currentPeriod({ plan: team, accountCreatedAt, subscription: null, now }))).toEqual(expected);
    const stale = terms('2025-02-10T00:00:00Z', '2025-03-10T00:00:00Z');
    expect(iso(currentPeriod({ plan: free, accountCreatedAt, subscription: stale, now }))).toEqual(expected);
  });

  it('refuses invalid dates, naming them', () => {
    const now = utc('2025-01-20T00:00:00Z');
    const valid = terms('2025-01-10T00:00:00Z', '2025-02-10T00:00:00Z');
    const message = (args: Partial<Parameters<typeof currentPeriod>[0]>) =>
      catchDomainError(
        () => currentPeriod({ plan: team, accountCreatedAt, subscription: valid, now, ...args }),
        'INVALID_INPUT',
      ).message;
    const invalid = new Date(Number.NaN);
    expect(message({ now: invalid })).toBe('now must be a valid date');
    expect(message({ subscription: { ...valid, anchor: invalid } })).toBe('subscription.anchor must be a valid date');
    expect(message({ subscription: { ...valid, paidThrough: invalid } })).toBe(
      'subscription.paidThrough must be a valid date',
    );
    expect(message({ subscription: null, accountCreatedAt: invalid })).toBe('anchor must be a valid date');
  });
});

describe('nextUsageTerms', () => {
  const now = utc('2025-02-20T00:00:00Z');
  const state = {
    billingAnchor: utc('2025-01-10T00:00:00Z'),
    periodStart: utc('2025-02-10T00:00:00Z'),
    periodEnd: utc('2025-03-10T00:00:00Z'),
    paid: true,
  };

  it('a new subscription takes its billing anchor; paid, it is paid through its period end', () => {
    expect(nextUsageTerms(null, state, now)).toEqual({ anchor: state.billingAnchor, paidThrough: state.periodEnd });
    expect(nextUsageTerms(null, { ...state, paid: false }, now)).toEqual({
      anchor: state.billingAnchor,
      paidThrough: state.periodStart,
    });
  });

  it('keeps the anchor when Stripe moves it, and paidThrough while the period is owed', () => {
    const before = { anchor: utc('2024-12-05T00:00:00Z'), paidThrough: utc('2025-02-05T00:00:00Z') };
    expect(nextUsageTerms(before, state, now)).toEqual({ anchor: before.anchor, paidThrough: state.periodEnd });
    expect(nextUsageTerms(before, { ...state, paid: false }, now)).toEqual(before);
  });

  it('never pays through less than the period in force (a late report of an older renewal)', () => {
    const before = { anchor: utc('2025-01-10T00:00:00Z'), paidThrough: utc('2026-01-10T00:00:00Z') };
    const late = { ...state, periodStart: utc('2025-01-10T00:00:00Z'), periodEnd: utc('2025-02-10T00:00:00Z') };
    expect(nextUsageTerms(before, late, now).paidThrough).toEqual(utc('2025-03-10T00:00:00Z'));
  });

  it('refuses invalid dates', () => {
    const message = catchDomainError(
      () => nextUsageTerms(null, { ...state, periodEnd: new Date(Number.NaN) }, now),
      'INVALID_INPUT',
    ).message;
    expect(message).toBe('periodEnd must be a valid date');
  });
});
