import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness';

describe.each(testDatabaseKinds())('signing out on %s', (kind) => {
  const harness = useHarness(kind);

  async function signIn(apiKey: string): Promise<string> {
    const h = harness();
    const res = await fetch(`${h.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey }),
    });
    expect(res.status).toBe(200);
    return /contox_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  }
  const me = (cookie: string) => harness().fetch('/api/account', { headers: { cookie } });
  const signOut = (cookie: string, headers: Record<string, string> = {}) =>
    harness().fetch('/auth/sign-out', { method: 'POST', headers: { cookie, ...headers } });

  it('needs the CSRF header: another site cannot sign the customer out', async () => {
    const a = await harness().account();
    const cookie = await signIn(a.key);
    expect((await me(cookie)).status).toBe(200);
    const forged = await signOut(cookie);
    expect(forged.status).toBe(403);
    expect(forged.body).toEqual({ error: expect.stringContaining('X-Contox-CSRF'), code: 'forbidden' });
    expect((await me(cookie)).status).toBe(200);
  });

  it('ends the session at once, on the very next request', async () => {
    const a = await harness().account();
    const cookie = await signIn(a.key);
    // The session was used (and, before, cached) just before signing out.
    expect((await me(cookie)).status).toBe(200);
    const out = await signOut(cookie, { 'x-contox-csrf': '1' });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/contox_session=;.*Max-Age=0/i);
    const after = await me(cookie);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: expect.any(String), code: 'unauthenticated' });
  });

  it('treats a malformed session cookie as a refused credential, never a 500', async () => {
    const h = harness();
    for (const path of ['/api/account', '/trpc/account.me']) {
      const res = await h.fetch(path, { headers: { cookie: 'contox_session=%zz' } });
      expect(res.status, path).toBe(401);
    }
    const out = await signOut('contox_session=%zz', { 'x-contox-csrf': '1' });
    expect(out.status).toBe(200);
  });
});
