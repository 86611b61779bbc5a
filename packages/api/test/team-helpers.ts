import { expect } from 'vitest';
import type { Harness } from './harness';

/** BILLING_ADMIN_TOKEN of the harnesses that enable the operator API. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef-0123456789';

/** Follows a sign-in link as a browser would (on this server), returning the session cookie it sets. */
export async function followSignInLink(h: Harness, url: string): Promise<string> {
  const { pathname, search } = new URL(url);
  const res = await fetch(`${h.url}${pathname}${search}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = /contox_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  expect(cookie, 'the link set no session cookie').toBeDefined();
  return cookie!;
}

/** `POST /auth/session {apiKey}`: the dashboard's sign-in with a key. */
export async function sessionFromKey(h: Harness, apiKey: string): Promise<string> {
  const res = await h.fetch('/auth/session', { method: 'POST', body: { apiKey } });
  expect(res.status).toBe(200);
  return /contox_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
}
