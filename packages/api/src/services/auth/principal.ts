import type { Database } from '@contox/db';
import { parseCookie } from 'cookie';
import { findLiveApiKey, findSessionMember, touchApiKey } from '../../store/members-keys';
import { ALL_SCOPES, API_KEY_PREFIX, type Scope, sha256 } from './keys';

export type Role = 'owner' | 'admin' | 'member';

export interface Principal {
  accountId: string;
  memberId: string;
  role: Role;
  scopes: Scope[];
  via: 'api_key' | 'session';
  /** The key behind the call: the key itself, or the key a session was started with; null for a sign-in link's. */
  apiKeyId: string | null;
}

export const SESSION_COOKIE = 'contox_session';

export type Resolution = { principal: Principal } | { principal: null; error: string | null };

/** The key of an `Authorization: Bearer <key>` header: null without one, '' when it is malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

/** The dashboard session's token from a `Cookie` header (the first one, if the cookie is sent twice). */
export function readSessionCookie(header: string | undefined): string | null {
  return header ? (parseCookie(header)[SESSION_COOKIE] ?? null) : null;
}

async function fromApiKey(db: Database, token: string, now: Date): Promise<Resolution> {
  if (!token.startsWith(API_KEY_PREFIX)) {
    return { principal: null, error: `Invalid API key: expected "Authorization: Bearer ${API_KEY_PREFIX}…"` };
  }
  const row = await findLiveApiKey(db, sha256(token));
  if (!row) return { principal: null, error: 'Invalid or revoked API key' };
  const { lastUsedAt, ...principal } = row;
  // Not awaited: the answer never waits for this bookkeeping, and a failure of it (a closing database) is no
  // failure of the request. Cached lookups skip it, so lastUsedAt is as fresh as the cache allows.
  if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() > 60_000) touchApiKey(db, row.apiKeyId, now).catch(() => {});
  return { principal: { ...principal, scopes: row.scopes as Scope[], via: 'api_key' } };
}

async function fromSession(db: Database, token: string, now: Date): Promise<Resolution> {
  const row = await findSessionMember(db, sha256(token), now);
  if (!row) return { principal: null, error: 'Your session has expired: sign in again' };
  // A session from a sign-in link acts for its member with every scope (roles still limit what it may change);
  // one started with an API key keeps that key's scopes, and its lookup ends it with the key.
  const scopes = (row.scopes as Scope[] | null) ?? ALL_SCOPES;
  return { principal: { ...row, scopes, via: 'session' } };
}

/** An Authorization header wins over a session cookie, so scripts never act as a browser user by accident. */
export async function resolvePrincipal(
  db: Database,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  now: Date,
): Promise<Resolution> {
  const token = bearerToken(headers.authorization);
  if (token !== null) {
    if (token === '') return { principal: null, error: 'Malformed Authorization header: expected "Bearer <key>"' };
    return fromApiKey(db, token, now);
  }
  const session = readSessionCookie(headers.cookie);
  if (session) return fromSession(db, session, now);
  return { principal: null, error: null };
}
