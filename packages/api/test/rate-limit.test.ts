import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/services/auth/create-api-key';
import { ALL_SCOPES } from '../src/services/auth/keys';
import { memoryRateCounter } from '../src/services/limits/rate-counter';
import { type Harness, startHarness } from './harness';

describe('rate counter in memory', () => {
  it('counts each key per one-minute window, reads without counting, and starts again in the next window', async () => {
    let t = 60_000 * 28_333_334 + 10_000; // 10 s into a window
    const count = memoryRateCounter(() => t);
    const hit = (key: string, n: 0 | 1 = 1) => count([{ key, n }]).then((w) => w.counts[0]);
    expect([await hit('a'), await hit('a'), await hit('a'), await hit('a', 0)]).toEqual([1, 2, 3, 3]);
    expect((await count([{ key: 'a', n: 1 }])).reset).toBe((t + 50_000) / 1000);
    expect(await hit('b')).toBe(1);
    t += 50_000;
    expect(await hit('a')).toBe(1);
  });
});

/** Small, so that a handful of requests reach it. */
const LIMIT = 5;

describe.each(testDatabaseKinds().slice(0, 1))('rate-limit headers on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { rateLimitPerMinute: LIMIT });
  });
  afterAll(() => h.close());

  /** One request's status and body, and the window it was counted in (every answer names it). */
  const ask = async (key: string) => {
    const res = await h.fetch('/api/billing/credits', { key });
    return { status: res.status, body: res.body, window: res.headers.get('x-ratelimit-reset') };
  };

  it('carries X-RateLimit-* on API answers', async () => {
    const a = await h.account();
    const res = await h.fetch('/api/billing/credits', { key: a.key });
    expect(Number(res.headers.get('x-ratelimit-limit'))).toBe(LIMIT);
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(LIMIT - 1);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('counts refused keys against their IP: a new made-up key per request does not escape the limit', async () => {
    const a = await h.account();
    const madeUp: Awaited<ReturnType<typeof ask>>[] = [];
    // Windows are whole wall-clock minutes, and the limiter reads the real clock. A round (made-up keys until
    // one is refused, then a valid key) takes a few requests, so of two rounds in a row a minute boundary
    // splits at most one; the other decides, counting what earlier rounds spent in its window.
    for (let round = 0; round < 2; round++) {
      const first = madeUp.length;
      while (madeUp.at(-1)?.status !== 429 || madeUp.length === first) {
        expect(madeUp.length - first, 'made-up keys are never held back').toBeLessThanOrEqual(2 * LIMIT);
        madeUp.push(await ask(`contox_sk_madeup_${madeUp.length}`));
      }
      const refused = madeUp.at(-1)!;
      const valid = await ask(a.key);
      const windows = new Set([...madeUp.slice(first), valid].map((r) => r.window));
      if (windows.size > 1) continue;

      // In that window: exactly LIMIT made-up keys were looked up (401), every one after them was refused.
      const statuses = madeUp.filter((r) => r.window === refused.window).map((r) => r.status);
      expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
      expect(new Set(statuses.slice(LIMIT))).toEqual(new Set([429]));
      expect(refused.body).toEqual({ error: expect.stringMatching(/Rate limit exceeded/), code: 'rate_limited' });
      // The IP is held back as a whole until the window resets, a valid key included.
      expect(valid.status).toBe(429);
      return;
    }
    throw new Error('a minute boundary split both rounds: the requests took far longer than a minute');
  });
});

// On Postgres: lookups there run side by side (the embedded database runs one statement at a time).
describe.each(testDatabaseKinds().filter((k) => k === 'postgres'))('made-up keys sent all at once on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { rateLimitPerMinute: LIMIT });
  });
  afterAll(() => h.close());

  it('leave valid keys sent all at once from the same address alone: past the limit they wait, none refused', async () => {
    const a = await h.account();
    const keys = await Promise.all(
      Array.from({ length: 4 * LIMIT }, (_, i) =>
        createApiKey(h.db.db, { accountId: a.accountId, memberId: a.ownerId, name: `k${i}`, scopes: ALL_SCOPES }),
      ),
    );
    const answers = await Promise.all(keys.map((key) => h.fetch('/api/billing/credits', { key })));
    expect(answers.map((r) => r.status)).toEqual(keys.map(() => 200));
  });

  it('are looked up only up to the limit: the rest are refused before any lookup', async () => {
    // Each guess holds a place against the IP while it is looked up, so concurrent guesses cannot all pass
    // before the first refusal is counted. A burst split by a minute boundary is sent again.
    for (let burst = 0; burst < 3; burst++) {
      const answers = await Promise.all(
        Array.from({ length: 6 * LIMIT }, async (_, i) => {
          const res = await h.fetch('/api/billing/credits', { key: `contox_sk_burst_${burst}_${i}` });
          return { status: res.status, body: res.body, window: res.headers.get('x-ratelimit-reset') };
        }),
      );
      if (new Set(answers.map((a) => a.window)).size > 1) continue;
      const looked = answers.filter((a) => a.status === 401);
      const refused = answers.filter((a) => a.status === 429);
      expect(looked.length + refused.length, JSON.stringify(answers.map((a) => a.status))).toBe(answers.length);
      // A first burst in one window finds no refusal counted yet: exactly LIMIT guesses are looked up.
      if (burst === 0) expect(looked.length).toBe(LIMIT);
      else expect(looked.length).toBeLessThanOrEqual(LIMIT);
      expect(refused[0]?.body).toMatchObject({ code: 'rate_limited' });
      return;
    }
    throw new Error('minute boundaries split every burst');
  });
});
