import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { schema } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/auth/create-api-key';
import { ALL_SCOPES } from '../../src/services/auth/keys';
import { createSignInLink } from '../../src/services/auth/sign-in';
import { type Harness, useHarness } from '../harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// docs/performance.md: "API keys are cached for 10 s after a successful lookup (a revoked key stops working
// within that time)". Sessions are never cached: signing out or their expiry ends them at once.
const CACHE_SECONDS = 10;

/** Polls `probe` until it answers `status`; fails once the documented cache time (plus slack) has passed. */
async function refusedWithinCache(probe: () => Promise<{ status: number; body: unknown }>, status = 401) {
  const deadline = Date.now() + CACHE_SECONDS * 1000 + scaled(3_000);
  for (;;) {
    const res = await probe();
    if (res.status === status) return res;
    expect(res.status, `still accepted ${CACHE_SECONDS} s after it should stop working`).toBe(200);
    expect(Date.now(), `still accepted ${CACHE_SECONDS} s after it should stop working`).toBeLessThan(deadline);
    await sleep(100);
  }
}

describe.each(testDatabaseKinds())('credentials that stop working, on %s', (kind) => {
  const harness = useHarness(kind);
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  /** Moves the billing clock for the duration of `body` only. */
  async function at<T>(offsetMs: number, body: () => Promise<T>): Promise<T> {
    const start = h.clock.now;
    h.clock.now = new Date(start.getTime() + offsetMs);
    try {
      return await body();
    } finally {
      h.clock.now = start;
    }
  }
  const redeem = (token: string) => fetch(`${h.url}/auth/sign-in?token=${token}`, { redirect: 'manual' });
  const sessionOf = (res: Response) => /contox_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  const withCookie = (session: string) => h.fetch('/api/account', { headers: { cookie: `contox_session=${session}` } });

  it('a revoked API key stops working within the 10 s of the key cache; an unused revoked key at once', async () => {
    const a = await h.account();
    const other = await createApiKey(h.db.db, {
      accountId: a.accountId,
      memberId: a.ownerId,
      name: 'second',
      scopes: ALL_SCOPES,
    });
    const unused = await createApiKey(h.db.db, {
      accountId: a.accountId,
      memberId: a.ownerId,
      name: 'never used',
      scopes: ALL_SCOPES,
    });
    expect((await h.fetch('/api/billing/credits', { key: a.key })).status).toBe(200);
    for (const secret of [a.key, unused]) {
      await h.db.db
        .update(schema.apiKeys)
        .set({ revokedAt: h.clock.now })
        .where(eq(schema.apiKeys.hash, createHash('sha256').update(secret).digest('hex')));
    }

    expect(await h.fetch('/api/billing/credits', { key: unused })).toMatchObject({
      status: 401,
      body: { error: 'Invalid or revoked API key' },
    });
    const refused = await refusedWithinCache(() => h.fetch('/api/billing/credits', { key: a.key }));
    expect(refused.body).toEqual({ error: 'Invalid or revoked API key', code: 'unauthenticated' });
    await expect(h.trpc(a.key).credits.get.query({})).rejects.toThrow(/revoked/);
    // Revoking one key leaves the member's other keys alone.
    expect((await h.fetch('/api/billing/credits', { key: other })).status).toBe(200);
  });

  it('a sign-in link works until 24 hours after it was made, once; later it leads to ?signin=expired', async () => {
    const a = await h.account();
    const early = await createSignInLink(h.db.db, a.ownerId, h.clock.now);
    const late = await createSignInLink(h.db.db, a.ownerId, h.clock.now);

    const used = await at(DAY - 60_000, () => redeem(early));
    expect(used.status).toBe(302);
    expect(used.headers.get('location')).toBe('/');
    expect(used.headers.get('set-cookie')).toMatch(/HttpOnly/);
    const session = sessionOf(used);
    expect(session).toBeDefined();
    expect((await withCookie(session!)).status).toBe(200);

    for (const [token, offset] of [
      [late, DAY + 1_000],
      [early, DAY - 30_000],
    ] as const) {
      const refused = await at(offset, () => redeem(token));
      expect(refused.status).toBe(302);
      expect(refused.headers.get('location')).toBe('/?signin=expired');
      expect(refused.headers.get('set-cookie')).toBeNull();
    }
  });

  it('a dashboard session is refused after its 7 days ("Your session has expired")', async () => {
    const a = await h.account();
    const res = await redeem(await createSignInLink(h.db.db, a.ownerId, h.clock.now));
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=604800/);
    const session = sessionOf(res)!;

    expect((await at(7 * DAY - 60_000, () => withCookie(session))).status).toBe(200);
    // At once: the session was just used, and the very next request after its expiry is refused.
    const refused = await at(7 * DAY + 1_000, () => withCookie(session));
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'Your session has expired: sign in again', code: 'unauthenticated' });
  });
});
