import { describe, expect, it } from 'vitest';
import { addMonths, isoSecond, periodAt } from '../src/calendar';
import { Random } from '../src/random';
import { usagePeriod } from '../src/subscription';

// The soak's model keeps its own calendar so a period bug in the service shows as a mismatch; this pins
// that calendar to the contract's rule (Stripe's billing cycle) independently of the service's code.
const at = (iso: string) => Date.parse(iso);
const span = (s: { start: number; end: number }) => [isoSecond(s.start), isoSecond(s.end)];

describe('the soak model calendar', () => {
  it('clamps a 31st to shorter months and returns to it, always counting from the anchor', () => {
    const anchor = at('2030-01-31T10:00:00Z');
    expect([1, 2, 3, 13].map((n) => isoSecond(addMonths(anchor, n)))).toEqual([
      '2030-02-28T10:00:00Z',
      '2030-03-31T10:00:00Z',
      '2030-04-30T10:00:00Z',
      '2031-02-28T10:00:00Z',
    ]);
    expect(isoSecond(addMonths(at('2032-01-31T10:00:00Z'), 1))).toBe('2032-02-29T10:00:00Z');
  });

  it('finds the period holding a moment, half-open at both boundaries', () => {
    const anchor = at('2030-01-31T10:00:00Z');
    expect(span(periodAt(anchor, 1, at('2030-02-28T09:59:59Z')))).toEqual([
      '2030-01-31T10:00:00Z',
      '2030-02-28T10:00:00Z',
    ]);
    expect(span(periodAt(anchor, 1, at('2030-02-28T10:00:00Z')))).toEqual([
      '2030-02-28T10:00:00Z',
      '2030-03-31T10:00:00Z',
    ]);
    expect(span(periodAt(anchor, 12, at('2031-03-01T00:00:00Z')))).toEqual([
      '2031-01-31T10:00:00Z',
      '2032-01-31T10:00:00Z',
    ]);
    expect(() => periodAt(anchor, 1, anchor - 1)).toThrow(/precedes/);
  });

  it('cuts a yearly subscription into the months of its anchor, as any other (the billing policy)', () => {
    const sub = {
      plan: 'team' as const,
      seats: 2,
      interval: 'year' as const,
      anchor: at('2032-02-29T08:00:00Z'),
      cancelAt: null,
    };
    // February has no 29th in 2033: that month's period starts on its last day, the next on the 29th again.
    expect(span(usagePeriod(sub, at('2033-03-01T00:00:00Z')))).toEqual([
      '2033-02-28T08:00:00Z',
      '2033-03-29T08:00:00Z',
    ]);
    expect(span(usagePeriod(sub, at('2033-02-28T07:00:00Z')))).toEqual([
      '2033-01-29T08:00:00Z',
      '2033-02-28T08:00:00Z',
    ]);
    // No shorter last month before the yearly renewal: the month holding the renewal ends on it.
    expect(span(usagePeriod(sub, at('2036-02-28T12:00:00Z')))).toEqual([
      '2036-01-29T08:00:00Z',
      '2036-02-29T08:00:00Z',
    ]);
  });

  it('always answers a period that holds the moment and starts a whole number of periods after the anchor', () => {
    const r = new Random(20_300_131);
    for (let i = 0; i < 500; i++) {
      const anchor = Date.UTC(2030, r.int(0, 11), r.int(1, 31), r.int(0, 23), r.int(0, 59));
      const months = r.pick([1, 12]);
      const t = anchor + r.int(0, 4 * 365) * 86_400_000 + r.int(0, 86_399_999);
      const p = periodAt(anchor, months, t);
      expect(p.start <= t && t < p.end).toBe(true);
      const n = Math.round((p.start - anchor) / (months * 30.44 * 86_400_000));
      expect([n - 1, n, n + 1].some((k) => addMonths(anchor, k * months) === p.start)).toBe(true);
      expect(addMonths(anchor, 0)).toBe(anchor);
    }
  });
});
