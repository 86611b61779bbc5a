import type { Database } from '@contox/db';
import { claimSignInLink, deleteSession, insertSession, insertSignInLink } from '../../store/members-keys';
import { generateSecret, sha256 } from './keys';
import { resolvePrincipal } from './principal';

const LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function createSignInLink(db: Database, memberId: string, now: Date): Promise<string> {
  const token = generateSecret('');
  await insertSignInLink(db, { tokenHash: sha256(token), memberId, expiresAt: new Date(now.getTime() + LINK_TTL_MS) });
  return token;
}

async function startSession(db: Database, memberId: string, now: Date): Promise<string> {
  const token = generateSecret('');
  await insertSession(db, { tokenHash: sha256(token), memberId, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) });
  return token;
}

/** A link works once: the update claims it atomically, so two clicks cannot both sign in. */
export async function redeemSignInLink(db: Database, token: string, now: Date): Promise<string | null> {
  const memberId = await claimSignInLink(db, sha256(token), now);
  return memberId ? startSession(db, memberId, now) : null;
}

export async function sessionFromApiKey(db: Database, apiKey: string, now: Date): Promise<string | null> {
  const resolution = await resolvePrincipal(db, { authorization: `Bearer ${apiKey}` }, now);
  return resolution.principal ? startSession(db, resolution.principal.memberId, now) : null;
}

export async function endSession(db: Database, token: string): Promise<void> {
  await deleteSession(db, sha256(token));
}
