import { setTimeout as sleep } from 'node:timers/promises';
import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/http/rate-limit';
import { type Harness, startHarness } from './harness';

describe('rate limiter', () => {
  it('allows the limit per window, then refuses with the seconds until the reset', () => {
    let t = 60_000 * 28_333_334 + 10_000; // 10 s into a window
    const check = createRateLimiter(3, () => t);
    expect([check('a'), check('a'), check('a')].map((d) => d.remaining)).toEqual([2, 1, 0]);
    const refused = check('a');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfter: 50 });
    expect(check('b').allowed).toBe(true);
    t += 50_000;
    expect(check('a')).toMatchObject({ allowed: true, remaining: 2 });
  });
});

describe.each(testDatabaseKinds().slice(0, 1))('rate-limit headers on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  it('carries X-RateLimit-* on API answers', async () => {
    const a = await h.account();
    const res = await h.fetch('/api/billing/credits', { key: a.key });
    expect(Number(res.headers.get('x-ratelimit-limit'))).toBe(h.deps.config.RATE_LIMIT_PER_MINUTE);
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(h.deps.config.RATE_LIMIT_PER_MINUTE - 1);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('counts refused keys against their IP: a new made-up key per request does not escape the limit', async () => {
    const a = await h.account();
    const limit = h.deps.config.RATE_LIMIT_PER_MINUTE;
    // Windows are whole clock minutes: start early in one, so the whole test falls in the same window.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 40_000) await sleep(60_000 - intoWindow + 100);
    const statuses: number[] = [];
    for (let sent = 0; sent < limit; sent += 50) {
      const batch = Array.from({ length: 50 }, (_, i) =>
        h.fetch('/api/billing/credits', { key: `contox_sk_madeup_${sent + i}` }),
      );
      statuses.push(...(await Promise.all(batch)).map((r) => r.status));
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
    const next = await h.fetch('/api/billing/credits', { key: 'contox_sk_madeup_one_more' });
    expect(next.status).toBe(429);
    expect(next.body).toEqual({ error: expect.stringMatching(/Rate limit exceeded/) });
    // The IP is held back as a whole until the window resets, a valid key included.
    expect((await h.fetch('/api/billing/credits', { key: a.key })).status).toBe(429);
  });
});
