import type { Database, Executor } from '@contox/db';
import { claimSignInLink, deleteSession, insertSession, insertSignInLink } from '../../store/members-keys';
import { generateSecret, type Scope, sha256 } from './keys';
import { resolvePrincipal } from './principal';

const LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function createSignInLink(db: Executor, memberId: string, now: Date): Promise<string> {
  return (await issueSignInLink(db, memberId, now)).token;
}

/** A single-use link token for the member, and when it stops working. */
export async function issueSignInLink(
  db: Executor,
  memberId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSecret('');
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
  await insertSignInLink(db, { tokenHash: sha256(token), memberId, expiresAt });
  return { token, expiresAt };
}

/** The dashboard URL that redeems a link token. */
export function signInUrl(appUrl: string, token: string): string {
  return `${appUrl}/auth/sign-in?token=${token}`;
}

/** A session from a key keeps the key's scopes and names the key, so revoking it ends the session too. */
async function startSession(
  db: Database,
  memberId: string,
  now: Date,
  key: { apiKeyId: string; scopes: Scope[] } | null,
): Promise<string> {
  const token = generateSecret('');
  await insertSession(db, {
    tokenHash: sha256(token),
    memberId,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    apiKeyId: key?.apiKeyId ?? null,
    scopes: key?.scopes ?? null,
  });
  return token;
}

/** A link works once: the update claims it atomically, so two clicks cannot both sign in. */
export async function redeemSignInLink(db: Database, token: string, now: Date): Promise<string | null> {
  const memberId = await claimSignInLink(db, sha256(token), now);
  return memberId ? startSession(db, memberId, now, null) : null;
}

export async function sessionFromApiKey(db: Database, apiKey: string, now: Date): Promise<string | null> {
  const { principal } = await resolvePrincipal(db, { authorization: `Bearer ${apiKey}` }, now);
  if (!principal?.apiKeyId) return null;
  return startSession(db, principal.memberId, now, { apiKeyId: principal.apiKeyId, scopes: principal.scopes });
}

export async function endSession(db: Database, token: string): Promise<void> {
  await deleteSession(db, sha256(token));
}
