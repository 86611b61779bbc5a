import { type Database, type Executor, schema } from '@contox/db';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { newId } from '../ids';
import { prepared } from './prepared';

export interface ApiKeyRow {
  accountId: string;
  memberId: string;
  name: string;
  hash: string;
  prefix: string;
  scopes: string[];
}

export async function insertApiKey(db: Executor, key: ApiKeyRow): Promise<string> {
  const id = newId('key');
  await db.insert(schema.apiKeys).values({ id, ...key });
  return id;
}

// Building the query costs more CPU than running it: every request that is not a cache hit reuses this one.
const keyLookup = (db: Database) =>
  db
    .select({
      accountId: schema.apiKeys.accountId,
      memberId: schema.apiKeys.memberId,
      scopes: schema.apiKeys.scopes,
      role: schema.members.role,
    })
    .from(schema.apiKeys)
    .innerJoin(schema.members, eq(schema.members.id, schema.apiKeys.memberId))
    .where(and(eq(schema.apiKeys.hash, sql.placeholder('hash')), isNull(schema.apiKeys.revokedAt)))
    .limit(1)
    .prepare('api_key_lookup');

/** The member and scopes behind a live (not revoked) API key, by the key's hash. */
export async function findLiveApiKey(db: Database, hash: string) {
  const [row] = await prepared(db, 'api_key_lookup', keyLookup).execute({ hash });
  return row ?? null;
}

/** The member behind an unexpired session, by the session token's hash. */
export async function findSessionMember(db: Executor, tokenHash: string, now: Date) {
  const [row] = await db
    .select({ accountId: schema.members.accountId, memberId: schema.members.id, role: schema.members.role })
    .from(schema.webSessions)
    .innerJoin(schema.members, eq(schema.members.id, schema.webSessions.memberId))
    .where(and(eq(schema.webSessions.tokenHash, tokenHash), gt(schema.webSessions.expiresAt, now)))
    .limit(1);
  return row ?? null;
}

export async function insertSignInLink(db: Executor, link: { tokenHash: string; memberId: string; expiresAt: Date }) {
  await db.insert(schema.signInLinks).values(link);
}

export async function insertSession(db: Executor, session: { tokenHash: string; memberId: string; expiresAt: Date }) {
  await db.insert(schema.webSessions).values(session);
}

/** Marks an unused, unexpired link used and returns its member; the update claims it, so two clicks cannot both win. */
export async function claimSignInLink(db: Executor, tokenHash: string, now: Date): Promise<string | null> {
  const [claimed] = await db
    .update(schema.signInLinks)
    .set({ usedAt: now })
    .where(
      and(
        eq(schema.signInLinks.tokenHash, tokenHash),
        isNull(schema.signInLinks.usedAt),
        gt(schema.signInLinks.expiresAt, now),
      ),
    )
    .returning({ memberId: schema.signInLinks.memberId });
  return claimed?.memberId ?? null;
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(schema.webSessions).where(eq(schema.webSessions.tokenHash, tokenHash));
}
