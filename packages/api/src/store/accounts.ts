import { type Database, type Executor, schema } from '@contox/db';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { prepared } from './prepared';
import { liveSubscriptionOf } from './subscriptions';

const a = schema.accounts;

export async function insertMember(
  db: Executor,
  member: {
    id: string;
    accountId: string;
    email: string;
    name: string;
    role: (typeof schema.members.$inferInsert)['role'];
    createdAt?: Date;
  },
): Promise<void> {
  await db.insert(schema.members).values(member);
}

/**
 * An account on the free plan, its owner and its zero balance row (spends lock that row): one transaction's work.
 * False, with nothing written, when an account already has this `externalId`.
 */
export async function insertAccount(
  tx: Executor,
  account: {
    accountId: string;
    ownerId: string;
    name: string;
    ownerEmail: string;
    ownerName: string;
    createdAt: Date;
    externalId?: string | undefined;
  },
): Promise<boolean> {
  const { accountId, createdAt } = account;
  const [inserted] = await tx
    .insert(a)
    .values({ id: accountId, name: account.name, createdAt, externalId: account.externalId ?? null })
    .onConflictDoNothing({ target: a.externalId })
    .returning({ id: a.id });
  if (!inserted) return false;
  await insertMember(tx, {
    id: account.ownerId,
    accountId,
    email: account.ownerEmail,
    name: account.ownerName,
    role: 'owner',
    createdAt,
  });
  await tx.insert(schema.creditBalances).values({ accountId, balance: 0 });
  return true;
}

/** Accounts with their owners, for the operator: by id, by externalId, or a page of all of them in id order. */
export async function listAccountsWithOwner(
  db: Executor,
  filter: { accountId?: string; externalId?: string; after?: string; limit: number },
) {
  const o = schema.members;
  return db
    .select({
      id: a.id,
      name: a.name,
      plan: a.plan,
      externalId: a.externalId,
      createdAt: a.createdAt,
      owner: { id: o.id, email: o.email, name: o.name },
    })
    .from(a)
    .innerJoin(o, and(eq(o.accountId, a.id), eq(o.role, 'owner')))
    .where(
      and(
        filter.accountId === undefined ? undefined : eq(a.id, filter.accountId),
        filter.externalId === undefined ? undefined : eq(a.externalId, filter.externalId),
        filter.after === undefined ? undefined : gt(a.id, filter.after),
      ),
    )
    .orderBy(asc(a.id))
    .limit(filter.limit);
}

export async function accountExists(db: Executor, accountId: string): Promise<boolean> {
  const [row] = await db.select({ id: a.id }).from(a).where(eq(a.id, accountId));
  return row !== undefined;
}

/** Waits for, then holds until the transaction ends, the account's row: writers of its plan go one at a time. */
export async function lockAccount(tx: Executor, accountId: string): Promise<void> {
  await tx.select({ id: a.id }).from(a).where(eq(a.id, accountId)).for('update');
}

export async function findAccountPlan(db: Executor, accountId: string): Promise<string | null> {
  const [row] = await db.select({ plan: a.plan }).from(a).where(eq(a.id, accountId));
  return row?.plan ?? null;
}

export async function setAccountPlan(db: Executor, accountId: string, plan: string): Promise<void> {
  await db.update(a).set({ plan }).where(eq(a.id, accountId));
}

// Read on every spend, usage and credits request: prepared once per database.
const billingStateQuery = (db: Database) => {
  const live = liveSubscriptionOf(db, a.id);
  return db
    .select({
      plan: a.plan,
      createdAt: a.createdAt,
      start: live.currentPeriodStart,
      end: live.currentPeriodEnd,
      usageAnchor: live.usageAnchor,
      paidThrough: live.paidThrough,
    })
    .from(a)
    .leftJoinLateral(live, sql`true`)
    .where(eq(a.id, sql.placeholder('accountId')))
    .prepare('billing_state');
};

/** The account's plan and creation date beside its live subscription's period and usage terms (nulls without one). */
export async function findBillingStateRow(db: Database, accountId: string) {
  const [row] = await prepared(db, 'billing_state', billingStateQuery).execute({ accountId });
  return row ?? null;
}

/** The account's Stripe customer: null before its first use of Stripe, and for an account that does not exist. */
export async function findStripeCustomerId(db: Executor, accountId: string): Promise<string | null> {
  const [row] = await db.select({ customerId: a.stripeCustomerId }).from(a).where(eq(a.id, accountId));
  return row?.customerId ?? null;
}

/** What a new Stripe customer is created with: the account's name and its owner's email. */
export async function findCustomerDetails(db: Executor, accountId: string) {
  const [row] = await db
    .select({ name: a.name, ownerEmail: schema.members.email })
    .from(a)
    .leftJoin(schema.members, and(eq(schema.members.accountId, a.id), eq(schema.members.role, 'owner')))
    .where(eq(a.id, accountId));
  return row ?? null;
}

/** Stores the account's Stripe customer unless one is stored already; true when this call stored it. */
export async function claimStripeCustomerId(db: Executor, accountId: string, customerId: string): Promise<boolean> {
  const [claimed] = await db
    .update(a)
    .set({ stripeCustomerId: customerId })
    .where(and(eq(a.id, accountId), isNull(a.stripeCustomerId)))
    .returning({ id: a.id });
  return claimed !== undefined;
}

export async function findAccountIdByCustomer(db: Executor, customerId: string): Promise<string | null> {
  const [row] = await db.select({ id: a.id }).from(a).where(eq(a.stripeCustomerId, customerId));
  return row?.id ?? null;
}

/** A member with its account, for telling callers who they are. */
export async function findMemberWithAccount(db: Executor, memberId: string) {
  const [row] = await db
    .select({ account: a, member: schema.members })
    .from(schema.members)
    .innerJoin(a, eq(a.id, schema.members.accountId))
    .where(eq(schema.members.id, memberId));
  return row ?? null;
}

/** The owner of the account whose owner has this email, the oldest if several: the demo account's, by its email. */
export async function findOwnerByEmail(db: Executor, email: string) {
  const [row] = await db
    .select({ accountId: schema.members.accountId, memberId: schema.members.id })
    .from(schema.members)
    .where(and(eq(schema.members.role, 'owner'), eq(schema.members.email, email)))
    .orderBy(asc(schema.members.createdAt))
    .limit(1);
  return row ?? null;
}

/** Holds a Postgres advisory lock on `key` until the transaction ends: one transaction at a time runs past it. */
export async function takeTransactionLock(tx: Executor, key: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${key})`);
}

// The two API-key statements below serve the demo seeding only (revoked keys included, unlike the principal's
// lookup); they belong with the members-keys aggregate and can move there as they are.

/** Whether a key with this hash was ever issued, revoked or not (the hash is unique). */
export async function apiKeyHashExists(db: Executor, hash: string): Promise<boolean> {
  const [row] = await db.select({ id: schema.apiKeys.id }).from(schema.apiKeys).where(eq(schema.apiKeys.hash, hash));
  return row !== undefined;
}

export async function revokeApiKeysNamed(db: Executor, name: string, now: Date): Promise<void> {
  await db
    .update(schema.apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(schema.apiKeys.name, name), isNull(schema.apiKeys.revokedAt)));
}
