import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LONGEST_RETRY_MS, nextRetryAt, RETRY_WINDOW_MS, retryDelayMs } from '../src/backoff';

const created = new Date('2026-01-01T00:00:00Z');
const MIN = 60_000;

describe('retry schedule', () => {
  it('doubles from 30 s and stops growing at 6 h (without jitter)', () => {
    const delays = [1, 2, 3, 4, 5, 10, 11, 12, 50].map((a) => retryDelayMs(a));
    expect(delays).toEqual([
      30_000,
      MIN,
      2 * MIN,
      4 * MIN,
      8 * MIN,
      256 * MIN,
      LONGEST_RETRY_MS,
      LONGEST_RETRY_MS,
      LONGEST_RETRY_MS,
    ]);
    expect(retryDelayMs(3, { baseMs: 100 })).toBe(400);
  });

  it('spreads each wait by at most 20 % either way', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (a, j) => {
          const plain = retryDelayMs(a);
          const spread = retryDelayMs(a, { jitter: j });
          expect(spread).toBeGreaterThanOrEqual(Math.floor(plain * 0.8));
          expect(spread).toBeLessThanOrEqual(Math.ceil(plain * 1.2));
        },
      ),
    );
  });

  it('retries for three days after the event, the last attempt at the three-day mark, then gives up', () => {
    let now = created;
    const attempts: Date[] = [];
    for (let attempt = 1; ; attempt++) {
      const next = nextRetryAt({ attempt, eventCreatedAt: created, now });
      if (!next) break;
      expect(next.getTime()).toBeGreaterThan(now.getTime());
      attempts.push(next);
      now = next;
    }
    expect(attempts.at(-1)!.getTime()).toBe(created.getTime() + RETRY_WINDOW_MS);
    expect(attempts.length).toBeGreaterThan(15);
    expect(attempts.length).toBeLessThan(30);
    expect(
      nextRetryAt({ attempt: 3, eventCreatedAt: created, now: new Date(created.getTime() + RETRY_WINDOW_MS) }),
    ).toBe(null);
  });
});
