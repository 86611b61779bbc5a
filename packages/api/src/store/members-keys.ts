import { type Database, type Executor, schema } from '@contox/db';
import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
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
      apiKeyId: schema.apiKeys.id,
      accountId: schema.apiKeys.accountId,
      memberId: schema.apiKeys.memberId,
      scopes: schema.apiKeys.scopes,
      role: schema.members.role,
      lastUsedAt: schema.apiKeys.lastUsedAt,
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

/** Records that a key was used, at most once a minute per key: a write on every request would cost the hot path. */
export async function touchApiKey(db: Executor, apiKeyId: string, now: Date): Promise<void> {
  const k = schema.apiKeys;
  const staleBefore = new Date(now.getTime() - 60_000);
  await db
    .update(k)
    .set({ lastUsedAt: now })
    .where(and(eq(k.id, apiKeyId), or(isNull(k.lastUsedAt), lt(k.lastUsedAt, staleBefore))));
}

/** The account's live keys, oldest first; never their hashes. */
export async function listLiveApiKeys(db: Executor, accountId: string) {
  const k = schema.apiKeys;
  return db
    .select({
      id: k.id,
      name: k.name,
      scopes: k.scopes,
      prefix: k.prefix,
      memberId: k.memberId,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
    })
    .from(k)
    .where(and(eq(k.accountId, accountId), isNull(k.revokedAt)))
    .orderBy(asc(k.createdAt), asc(k.id));
}

/** Revokes one of the account's keys (again is harmless); false when the account has no key with this id. */
export async function revokeAccountApiKey(db: Executor, accountId: string, id: string, now: Date): Promise<boolean> {
  const k = schema.apiKeys;
  const ofAccount = and(eq(k.id, id), eq(k.accountId, accountId));
  const [revoked] = await db
    .update(k)
    .set({ revokedAt: now })
    .where(and(ofAccount, isNull(k.revokedAt)))
    .returning({ id: k.id });
  if (revoked) return true;
  const [earlier] = await db.select({ id: k.id }).from(k).where(ofAccount);
  return earlier !== undefined;
}

/**
 * The member behind an unexpired session, by the session token's hash. A session started with an API key
 * carries that key's scopes and ends with it: its key must still be live.
 */
export async function findSessionMember(db: Executor, tokenHash: string, now: Date) {
  const s = schema.webSessions;
  const [row] = await db
    .select({
      accountId: schema.members.accountId,
      memberId: schema.members.id,
      role: schema.members.role,
      apiKeyId: s.apiKeyId,
      scopes: s.scopes,
    })
    .from(s)
    .innerJoin(schema.members, eq(schema.members.id, s.memberId))
    .leftJoin(schema.apiKeys, eq(schema.apiKeys.id, s.apiKeyId))
    .where(
      and(eq(s.tokenHash, tokenHash), gt(s.expiresAt, now), or(isNull(s.apiKeyId), isNull(schema.apiKeys.revokedAt))),
    )
    .limit(1);
  return row ?? null;
}

export async function insertSignInLink(db: Executor, link: { tokenHash: string; memberId: string; expiresAt: Date }) {
  await db.insert(schema.signInLinks).values(link);
}

export async function insertSession(
  db: Executor,
  session: { tokenHash: string; memberId: string; expiresAt: Date; apiKeyId: string | null; scopes: string[] | null },
) {
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

/** The demo key kept in clear (demo mode only), while it is live. */
export async function findLiveDemoKey(db: Executor): Promise<string | null> {
  const [row] = await db
    .select({ secret: schema.demoAccess.secret })
    .from(schema.demoAccess)
    .innerJoin(schema.apiKeys, eq(schema.apiKeys.id, schema.demoAccess.apiKeyId))
    .where(and(eq(schema.demoAccess.id, 'demo'), isNull(schema.apiKeys.revokedAt)));
  return row?.secret ?? null;
}

export async function saveDemoKey(db: Executor, apiKeyId: string, secret: string): Promise<void> {
  await db
    .insert(schema.demoAccess)
    .values({ id: 'demo', apiKeyId, secret })
    .onConflictDoUpdate({ target: schema.demoAccess.id, set: { apiKeyId, secret } });
}

/** The owner of the account the demo key was made for: the demo account, whoever owns it now. */
export async function findDemoAccountOwner(db: Executor) {
  const m = schema.members;
  const [row] = await db
    .select({ accountId: m.accountId, memberId: m.id })
    .from(schema.demoAccess)
    .innerJoin(schema.apiKeys, eq(schema.apiKeys.id, schema.demoAccess.apiKeyId))
    .innerJoin(m, and(eq(m.accountId, schema.apiKeys.accountId), eq(m.role, 'owner')))
    .where(eq(schema.demoAccess.id, 'demo'));
  return row ?? null;
}
