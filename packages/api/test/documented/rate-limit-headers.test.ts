import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, useHarness } from '../harness';

// README: "Every /api and /trpc answer carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset
// (…; a 429 adds Retry-After)". Windows are whole wall-clock minutes.

interface Limited {
  status: number;
  limit: number;
  remaining: number;
  reset: number;
  retryAfter: string | null;
  body: unknown;
}

async function call(url: string, init: { method?: string; key?: string; body?: string } = {}): Promise<Limited> {
  const sentAt = Date.now();
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  const header = (name: string) => {
    const value = res.headers.get(name);
    expect(value, `${name} on ${init.method ?? 'GET'} ${url} (${res.status})`).toMatch(/^\d+$/);
    return Number(value);
  };
  const limited = {
    status: res.status,
    limit: header('x-ratelimit-limit'),
    remaining: header('x-ratelimit-remaining'),
    reset: header('x-ratelimit-reset'),
    retryAfter: res.headers.get('retry-after'),
    body: text.startsWith('{') ? JSON.parse(text) : text,
  };
  // The reset is the end of the current one-minute window: after the request was sent, at most a minute on.
  expect(limited.reset).toBeGreaterThan(Math.floor(sentAt / 1000));
  expect(limited.reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
  return limited;
}

/** `remaining` drops by one per request of the same client, unless a new window started in between. */
function expectCounted(answers: Limited[]) {
  for (let i = 1; i < answers.length; i++) {
    const [before, after] = [answers[i - 1]!, answers[i]!];
    if (after.reset === before.reset) expect(after.remaining).toBe(before.remaining - 1);
  }
}

describe.each(testDatabaseKinds())('rate-limit headers on every /api and /trpc answer, on %s', (kind) => {
  const harness = useHarness(kind);
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  it('carries X-RateLimit-* on 200, 400, 402, 404, 409 and 413 answers of one key, counting each', async () => {
    const { key } = await h.account();
    const limit = h.deps.config.RATE_LIMIT_PER_MINUTE;
    const spend = (body: unknown) =>
      call(`${h.url}/api/billing/credits/spend`, { method: 'POST', key, body: JSON.stringify(body) });
    const answers = [
      await call(`${h.url}/api/billing/credits`, { key }),
      await call(`${h.url}/api/billing/credits?limit=0`, { key }),
      await call(`${h.url}/api/billing/nothing-here`, { key }),
      await spend({ amount: 10, description: 'Enrichment', idempotencyKey: 'k1' }),
      await spend({ amount: 11, description: 'Enrichment', idempotencyKey: 'k1' }),
      await spend({ amount: 10_000_000, description: 'Enrichment', idempotencyKey: 'k2' }),
      await call(`${h.url}/api/billing/credits/spend`, { method: 'POST', key, body: '{not json' }),
      await call(`${h.url}/api/billing/credits/spend`, { method: 'POST', key, body: `"${'x'.repeat(1_100_000)}"` }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 400, 404, 200, 409, 402, 400, 413]);
    for (const a of answers) {
      expect(a.limit).toBe(limit);
      expect(a.remaining).toBeLessThan(limit);
      expect(a.retryAfter).toBeNull();
    }
    expectCounted(answers);
  });

  it('carries them on 401 answers: no credentials, a made-up key, a malformed header', async () => {
    const limit = h.deps.config.RATE_LIMIT_PER_MINUTE;
    const none = await call(`${h.url}/api/billing/credits`);
    const madeUp = await call(`${h.url}/api/billing/credits`, { key: 'contox_sk_madeup_for_headers_0001' });
    const malformed = await fetch(`${h.url}/api/account`, { headers: { authorization: 'Basic abc' } });
    expect([none.status, madeUp.status, malformed.status]).toEqual([401, 401, 401]);
    for (const a of [none, madeUp]) expect(a.limit).toBe(limit);
    expect(malformed.headers.get('x-ratelimit-limit')).toBe(String(limit));
    expect(malformed.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(malformed.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
  });

  it('carries them on /trpc answers, successful and refused, counted with the same key as REST', async () => {
    const { key } = await h.account();
    const limit = h.deps.config.RATE_LIMIT_PER_MINUTE;
    const answers = [
      await call(`${h.url}/trpc/credits.get?input=${encodeURIComponent('{"limit":5}')}`, { key }),
      await call(`${h.url}/api/billing/credits`, { key }),
      await call(`${h.url}/trpc/credits.get?input=${encodeURIComponent('{"limit":0}')}`, { key }),
      await call(`${h.url}/trpc/no.such.procedure`, { key }),
      await call(`${h.url}/trpc/credits.spend`, {
        method: 'POST',
        key,
        body: JSON.stringify({ amount: -1, description: 'x', idempotencyKey: 'k' }),
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 404, 400]);
    const anonymous = await call(`${h.url}/trpc/credits.get`);
    expect(anonymous.status).toBe(401);
    for (const a of [...answers, anonymous]) expect(a.limit).toBe(limit);
    expectCounted(answers);
  });
});

describe.each(testDatabaseKinds().slice(0, 1))('a 429 adds Retry-After, on %s', (kind) => {
  const LIMIT = 4;
  // A service with a small limit, so a window's worth of requests is a handful.
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness(kind, { rateLimitPerMinute: LIMIT });
    url = h.url;
  }, 120_000);
  afterAll(() => h?.close());

  /** Requests until the first 429 (a window may turn over meanwhile), then the answers of its window. */
  async function untilRefused(send: () => Promise<Limited>) {
    const answers: Limited[] = [];
    while (answers.at(-1)?.status !== 429) {
      expect(answers.length, 'no 429 after three windows of requests').toBeLessThan(3 * (LIMIT + 1));
      answers.push(await send());
    }
    const refused = answers.at(-1)!;
    return { refused, window: answers.filter((a) => a.reset === refused.reset) };
  }

  function expectRetryAfter(refused: Limited, receivedBy: number) {
    expect(refused.body).toEqual({ error: expect.stringMatching(/Rate limit exceeded/), code: 'rate_limited' });
    expect(refused.remaining).toBe(0);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    const seconds = Number(refused.retryAfter);
    // The seconds until the window resets, whole and at least one.
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(Math.abs(seconds - (refused.reset - Math.floor(receivedBy / 1000)))).toBeLessThanOrEqual(1);
  }

  it('REST: after the limit the next request is 429 with Retry-After = seconds to X-RateLimit-Reset', async () => {
    const { key } = await h.account();
    const { refused, window } = await untilRefused(() => call(`${url}/api/billing/credits`, { key }));
    expectRetryAfter(refused, Date.now());
    // Exactly the limit was admitted in the refusing window, none of them with Retry-After.
    expect(window.filter((a) => a.status === 200)).toHaveLength(LIMIT);
    expect(window.filter((a) => a.status === 200 && a.retryAfter !== null)).toEqual([]);
    // Another client is not held back by this one.
    const other = await h.account();
    expect((await call(`${url}/api/billing/credits`, { key: other.key })).status).toBe(200);
  });

  it('tRPC: the same 429 with Retry-After on /trpc', async () => {
    const { key } = await h.account();
    const { refused, window } = await untilRefused(() =>
      call(`${url}/trpc/credits.get?input=${encodeURIComponent('{}')}`, { key }),
    );
    expectRetryAfter(refused, Date.now());
    expect(window.filter((a) => a.status === 200)).toHaveLength(LIMIT);
  });
});
