import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Period, currentPeriod, defaultCatalog, freePeriodAt } from '../src/index';
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

  it('uses a monthly subscription period that contains now', () => {
    const subscriptionPeriod = { start: utc('2025-01-10T00:00:00Z'), end: utc('2025-02-10T00:00:00Z') };
    const p = currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod, now: utc('2025-01-20T00:00:00Z') });
    expect(p).toEqual(subscriptionPeriod);
    expect(p).not.toBe(subscriptionPeriod);
  });

  it('keeps the subscription period as given, even when the billing anchor clamps it (Feb 28 -> Mar 31)', () => {
    const subscriptionPeriod = { start: utc('2025-02-28T00:00:00Z'), end: utc('2025-03-31T00:00:00Z') };
    const p = currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod, now: utc('2025-03-29T00:00:00Z') });
    expect(p).toEqual(subscriptionPeriod);
  });

  it('cuts a yearly subscription period into monthly periods anchored on its start', () => {
    const subscriptionPeriod = { start: utc('2024-01-31T00:00:00Z'), end: utc('2025-01-31T00:00:00Z') };
    const at = (now: string) => iso(currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod, now: utc(now) }));
    expect(at('2024-02-01T00:00:00Z')).toEqual(['2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z']);
    expect(at('2024-03-30T00:00:00Z')).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z']);
    expect(at('2025-01-30T00:00:00Z')).toEqual(['2024-12-31T00:00:00.000Z', '2025-01-31T00:00:00.000Z']);
  });

  it('never lets a monthly slice run past the end of a yearly period', () => {
    const subscriptionPeriod = { start: utc('2024-01-15T00:00:00Z'), end: utc('2025-01-10T00:00:00Z') };
    const p = currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod, now: utc('2025-01-01T00:00:00Z') });
    expect(iso(p)).toEqual(['2024-12-15T00:00:00.000Z', '2025-01-10T00:00:00.000Z']);
  });

  it('falls back to account-anchored months without a current subscription period', () => {
    const now = utc('2025-03-01T00:00:00Z');
    const expected = ['2025-02-28T09:00:00.000Z', '2025-03-31T09:00:00.000Z'];
    expect(iso(currentPeriod({ plan: free, accountCreatedAt, subscriptionPeriod: null, now }))).toEqual(expected);
    expect(iso(currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod: null, now }))).toEqual(expected);
    const lapsed = { start: utc('2025-01-01T00:00:00Z'), end: utc('2025-02-01T00:00:00Z') };
    expect(iso(currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod: lapsed, now }))).toEqual(expected);
    const future = { start: utc('2025-03-02T00:00:00Z'), end: utc('2025-04-02T00:00:00Z') };
    expect(iso(currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod: future, now }))).toEqual(expected);
  });

  it('a subscription period is half-open: its first instant belongs to it, its end to the next period', () => {
    const subscriptionPeriod = { start: utc('2025-01-10T00:00:00Z'), end: utc('2025-02-10T00:00:00Z') };
    const at = (now: Date) => currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod, now });
    expect(at(subscriptionPeriod.start)).toEqual(subscriptionPeriod);
    // At the end, before the renewal is confirmed, the account-anchored month applies.
    expect(iso(at(subscriptionPeriod.end))).toEqual(['2025-01-31T09:00:00.000Z', '2025-02-28T09:00:00.000Z']);
  });

  it('refuses invalid dates, naming them', () => {
    const now = utc('2025-01-20T00:00:00Z');
    const valid = { start: utc('2025-01-10T00:00:00Z'), end: utc('2025-02-10T00:00:00Z') };
    const message = (args: Partial<Parameters<typeof currentPeriod>[0]>) =>
      catchDomainError(
        () => currentPeriod({ plan: team, accountCreatedAt, subscriptionPeriod: valid, now, ...args }),
        'INVALID_INPUT',
      ).message;
    const invalid = new Date(Number.NaN);
    expect(message({ now: invalid })).toBe('now must be a valid date');
    expect(message({ subscriptionPeriod: { ...valid, start: invalid } })).toBe(
      'subscriptionPeriod.start must be a valid date',
    );
    expect(message({ subscriptionPeriod: { ...valid, end: invalid } })).toBe(
      'subscriptionPeriod.end must be a valid date',
    );
    expect(message({ subscriptionPeriod: null, accountCreatedAt: invalid })).toBe('anchor must be a valid date');
  });

  it('ignores a subscription period for the free plan (a stale period after a downgrade)', () => {
    const subscriptionPeriod = { start: utc('2025-02-10T00:00:00Z'), end: utc('2025-03-10T00:00:00Z') };
    const p = currentPeriod({ plan: free, accountCreatedAt, subscriptionPeriod, now: utc('2025-03-01T00:00:00Z') });
    expect(p.start.toISOString()).toBe('2025-02-28T09:00:00.000Z');
  });

  it('property: always contains now, and inside a subscription lies within it and lasts at most 31 days', () => {
    const ms = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(
        ms,
        ms,
        fc.integer({ min: 1, max: 400 * 86_400_000 }),
        fc.integer({ min: 0, max: 1 }),
        (created, start, length, at) => {
          const subscriptionPeriod = { start: new Date(start), end: new Date(start + length) };
          const nowMs = at === 0 ? start + Math.floor(length / 2) : start + length - 1;
          const p = currentPeriod({
            plan: team,
            accountCreatedAt: new Date(created),
            subscriptionPeriod,
            now: new Date(nowMs),
          });
          expect(p.start.getTime()).toBeLessThanOrEqual(nowMs);
          expect(nowMs).toBeLessThan(p.end.getTime());
          expect(p.start.getTime()).toBeGreaterThanOrEqual(start);
          expect(p.end.getTime()).toBeLessThanOrEqual(start + length);
          expect(p.end.getTime() - p.start.getTime()).toBeLessThanOrEqual(31 * 86_400_000);
        },
      ),
    );
  });
});
