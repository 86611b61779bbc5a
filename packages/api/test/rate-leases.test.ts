import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { type Hit, memoryRateCounter, type RateCounter, sharedRateCounter } from '../src/services/limits/rate-counter';
import { rateLeases } from '../src/services/limits/rate-leases';

/** A counter that records the calls it gets (one call is one statement on the shared counter). */
function counting(inner: RateCounter): { counter: RateCounter; calls: Hit[][] } {
  const calls: Hit[][] = [];
  const counter: RateCounter = (hits) => {
    calls.push(hits);
    return inner(hits);
  };
  return { calls, counter };
}

const admitted = (taken: { over: boolean; blocked: boolean }[]) => taken.filter((t) => !t.over && !t.blocked).length;

describe('rate leases', () => {
  let t = 60_000 * 28_333_334 + 1_000; // 1 s into a window
  const clock = () => t;

  it('admits exactly the limit, counting one statement per lease, each request with its place in the window', async () => {
    const { counter, calls } = counting(memoryRateCounter(clock));
    const leases = rateLeases(counter, 100, 10, clock);
    const taken = [];
    for (let i = 0; i < 130; i++) taken.push(await leases.take('client', 'refused:ip'));
    expect(admitted(taken)).toBe(100);
    expect(taken.slice(0, 100).map((x) => x.count)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(taken.slice(100).every((x) => x.over && x.count > 100)).toBe(true);
    // 10 leases for the 100, then one refused grant per request over the limit.
    expect(calls.length).toBe(10 + 30);
  });

  it('never lets two processes sharing the window pass the limit, and loses at most a lease each', async () => {
    const shared = memoryRateCounter(clock);
    const [a, b] = [rateLeases(shared, 100, 7, clock), rateLeases(shared, 100, 7, clock)];
    const taken = await Promise.all(Array.from({ length: 150 }, (_, i) => (i % 3 ? a : b).take('c2', 'refused:ip')));
    expect(admitted(taken)).toBeLessThanOrEqual(100);
    expect(admitted(taken)).toBeGreaterThanOrEqual(100 - 2 * 7);
  });

  it('serves requests that arrive while a grant is out with the next grant, as large as they are many', async () => {
    const { counter, calls } = counting(memoryRateCounter(clock));
    const leases = rateLeases(counter, 1_000, 5, clock);
    const taken = await Promise.all(Array.from({ length: 40 }, () => leases.take('burst', 'refused:ip')));
    // The first request does not wait for company: its lease of 5 serves 5 of them, the next grant the other 35.
    expect(calls.map((hits) => hits.map((h) => h.n))).toEqual([
      [0, 5],
      [0, 35],
    ]);
    expect(taken.map((x) => x.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('lets a lease lapse with its window: the next window starts from one', async () => {
    const leases = rateLeases(memoryRateCounter(clock), 100, 10, clock);
    expect((await leases.take('w', 'refused:ip')).count).toBe(1);
    expect((await leases.take('w', 'refused:ip')).count).toBe(2);
    t += 60_000;
    expect((await leases.take('w', 'refused:ip')).count).toBe(1);
  });

  it('blocks an IP marked the limit over, here at once and on another process at its next grant', async () => {
    const shared = memoryRateCounter(clock);
    const [a, b] = [rateLeases(shared, 5, 1, clock), rateLeases(shared, 5, 1, clock)];
    expect((await b.take('k', 'refused:x')).blocked).toBe(false);
    for (let i = 0; i < 5; i++) a.mark('refused:x');
    // The marks go out without waiting: the next request of this process finds them counted.
    await shared([]);
    expect((await a.take('k2', 'refused:x')).blocked).toBe(true);
    expect((await b.take('k', 'refused:x')).blocked).toBe(true);
    expect((await b.take('k', 'refused:y')).blocked).toBe(false);
  });
});

describe.runIf(testDatabaseKinds().includes('postgres'))('rate leases on one Postgres window, two processes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db?.close());

  it('admit at most the limit together, and at least the limit less one lease each', async () => {
    const log = createLogger('silent');
    const [a, b] = [0, 1].map(() => rateLeases(sharedRateCounter(db.db, log), 200, 2));
    for (let attempt = 0; ; attempt++) {
      const client = `db-client-${attempt}`;
      const taken = await Promise.all(
        Array.from({ length: 300 }, (_, i) => (i % 2 ? a! : b!).take(client, 'refused:db')),
      );
      // A minute boundary inside the burst splits it over two windows: run it again in the next one.
      if (new Set(taken.map((x) => x.reset)).size > 1 && attempt < 2) continue;
      expect(admitted(taken)).toBeLessThanOrEqual(200);
      expect(admitted(taken)).toBeGreaterThanOrEqual(200 - 2 * 2);
      return;
    }
  });
});
