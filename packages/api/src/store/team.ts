import { type Executor, schema } from '@contox/db';
import { and, asc, eq, inArray } from 'drizzle-orm';

const m = schema.members;
type Role = (typeof m.$inferSelect)['role'];

const memberColumns = { id: m.id, email: m.email, name: m.name, role: m.role, createdAt: m.createdAt };

export type MemberRow = { id: string; email: string; name: string; role: Role; createdAt: Date };

/** The account's members, the owner first, then by arrival. */
export async function listMembers(db: Executor, accountId: string): Promise<MemberRow[]> {
  const rows = await db.select(memberColumns).from(m).where(eq(m.accountId, accountId)).orderBy(asc(m.createdAt));
  return rows.sort((a, b) => Number(b.role === 'owner') - Number(a.role === 'owner'));
}

/** One member of this account; null for a member of another account, as for one that does not exist. */
export async function findAccountMember(db: Executor, accountId: string, memberId: string): Promise<MemberRow | null> {
  const [row] = await db
    .select(memberColumns)
    .from(m)
    .where(and(eq(m.accountId, accountId), eq(m.id, memberId)));
  return row ?? null;
}

export async function findMemberByEmail(db: Executor, accountId: string, email: string): Promise<MemberRow | null> {
  const [row] = await db
    .select(memberColumns)
    .from(m)
    .where(and(eq(m.accountId, accountId), eq(m.email, email)));
  return row ?? null;
}

/** A new member unless the account has one with this email already (then null: nothing is written). */
export async function insertMemberOnce(
  db: Executor,
  member: { id: string; accountId: string; email: string; name: string; role: Role; createdAt: Date },
): Promise<MemberRow | null> {
  const [row] = await db
    .insert(m)
    .values(member)
    .onConflictDoNothing({ target: [m.accountId, m.email] })
    .returning(memberColumns);
  return row ?? null;
}

/** Changes a non-owner's role; the owner's row is never touched here (a transfer swaps it). */
export async function setMemberRole(db: Executor, accountId: string, memberId: string, role: 'admin' | 'member') {
  const [row] = await db
    .update(m)
    .set({ role })
    .where(and(eq(m.accountId, accountId), eq(m.id, memberId), inArray(m.role, ['admin', 'member'])))
    .returning(memberColumns);
  return row ?? null;
}

/**
 * Removes a member with everything that lets them in: sessions, sign-in links, API keys (the keys' rows go too:
 * they name the member). One transaction's work.
 */
export async function deleteMemberAndCredentials(tx: Executor, accountId: string, memberId: string): Promise<boolean> {
  await tx.delete(schema.webSessions).where(eq(schema.webSessions.memberId, memberId));
  await tx.delete(schema.signInLinks).where(eq(schema.signInLinks.memberId, memberId));
  const keys = tx.select({ id: schema.apiKeys.id }).from(schema.apiKeys).where(eq(schema.apiKeys.memberId, memberId));
  await tx.delete(schema.demoAccess).where(inArray(schema.demoAccess.apiKeyId, keys));
  await tx.delete(schema.apiKeys).where(eq(schema.apiKeys.memberId, memberId));
  const [row] = await tx
    .delete(m)
    .where(and(eq(m.accountId, accountId), eq(m.id, memberId), inArray(m.role, ['admin', 'member'])))
    .returning({ id: m.id });
  return row !== undefined;
}

/**
 * Hands the account from its owner to another member, in the caller's transaction. The owner steps down to
 * admin first, so the one-owner index never sees two; a transaction holding the account's row lock makes
 * concurrent transfers wait.
 */
export async function swapOwner(tx: Executor, accountId: string, ownerId: string, nextOwnerId: string) {
  const [stepped] = await tx
    .update(m)
    .set({ role: 'admin' })
    .where(and(eq(m.accountId, accountId), eq(m.id, ownerId), eq(m.role, 'owner')))
    .returning({ id: m.id });
  if (!stepped) return false;
  const [raised] = await tx
    .update(m)
    .set({ role: 'owner' })
    .where(and(eq(m.accountId, accountId), eq(m.id, nextOwnerId)))
    .returning({ id: m.id });
  return raised !== undefined;
}
