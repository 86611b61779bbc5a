import { describe, expect, it } from 'vitest';
import { lastDaysRange } from '../src/lib/chart-range';

const DAY = 86_400_000;

describe('lastDaysRange', () => {
  it('spans the 90 days the chart says, ticked on midnights', () => {
    const now = Date.parse('2026-12-04T08:51:00Z');
    const { domain, ticks } = lastDaysRange(90, now);
    expect(new Date(domain[0]).toISOString()).toBe('2026-09-05T00:00:00.000Z');
    expect(domain[1]).toBe(now);
    expect(ticks[0]).toBe(domain[0]);
    expect(ticks.every((t) => t % DAY === 0)).toBe(true);
    expect(ticks.length).toBe(7);
    expect(ticks.at(-1)! - ticks[0]!).toBe(90 * DAY);
  });

  it('never ticks more than once a day', () => {
    const { ticks } = lastDaysRange(3, Date.parse('2026-12-04T12:00:00Z'));
    expect(ticks.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
  });
});
