import { type Database, schema } from '@contox/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { generateSecret, sha256 } from './keys';
import { resolvePrincipal } from './principal';

const LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function createSignInLink(db: Database, memberId: string, now: Date): Promise<string> {
  const token = generateSecret('');
  await db
    .insert(schema.signInLinks)
    .values({ tokenHash: sha256(token), memberId, expiresAt: new Date(now.getTime() + LINK_TTL_MS) });
  return token;
}

async function startSession(db: Database, memberId: string, now: Date): Promise<string> {
  const token = generateSecret('');
  await db
    .insert(schema.webSessions)
    .values({ tokenHash: sha256(token), memberId, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) });
  return token;
}

/** A link works once: the update claims it atomically, so two clicks cannot both sign in. */
export async function redeemSignInLink(db: Database, token: string, now: Date): Promise<string | null> {
  const [claimed] = await db
    .update(schema.signInLinks)
    .set({ usedAt: now })
    .where(
      and(
        eq(schema.signInLinks.tokenHash, sha256(token)),
        isNull(schema.signInLinks.usedAt),
        gt(schema.signInLinks.expiresAt, now),
      ),
    )
    .returning({ memberId: schema.signInLinks.memberId });
  return claimed ? startSession(db, claimed.memberId, now) : null;
}

export async function sessionFromApiKey(db: Database, apiKey: string, now: Date): Promise<string | null> {
  const resolution = await resolvePrincipal(db, { authorization: `Bearer ${apiKey}` }, now);
  return resolution.principal ? startSession(db, resolution.principal.memberId, now) : null;
}

export async function endSession(db: Database, token: string): Promise<void> {
  await db.delete(schema.webSessions).where(eq(schema.webSessions.tokenHash, sha256(token)));
}
