import type { AutoRechargeSettings } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { and, desc, eq, gt, isNotNull, lt, notExists, sql } from 'drizzle-orm';

// Credit payments (one row per attempt to charge for credits), auto-recharge settings with their pause,
// and the idempotency records that let a retried purchase return its first answer.

const p = schema.creditPayments;
const settingsTable = schema.autoRechargeSettings;

/** What a payment charges for; its id seeds the Stripe idempotency key. */
export interface PaymentRow {
  id: string;
  accountId: string;
  packId: string;
  tokens: number;
  price: number;
  kind: 'purchase' | 'auto_recharge';
}

export type StoredPayment = typeof p.$inferSelect;

export async function findPayment(db: Executor, paymentId: string): Promise<StoredPayment | null> {
  const [row] = await db.select().from(p).where(eq(p.id, paymentId));
  return row ?? null;
}

/** The payment row locked for its settlement; take the account's balance lock first (see lockBalance). */
export async function lockPayment(tx: Executor, paymentId: string): Promise<StoredPayment | null> {
  const [row] = await tx.select().from(p).where(eq(p.id, paymentId)).for('update');
  return row ?? null;
}

/** Records a pack purchase about to be charged, or (with its session) paid on Stripe Checkout. */
export async function insertPendingPurchase(
  db: Executor,
  payment: PaymentRow,
  periodStart: Date,
  checkoutSessionId: string | null = null,
): Promise<void> {
  await db.insert(p).values({ ...payment, status: 'pending', periodStart, checkoutSessionId });
}

/** The payment a credit checkout session was opened for, if it is ours. */
export async function findPaymentByCheckoutSession(db: Executor, sessionId: string): Promise<StoredPayment | null> {
  const [row] = await db.select().from(p).where(eq(p.checkoutSessionId, sessionId));
  return row ?? null;
}

/**
 * Records an auto-recharge about to be charged. The partial unique index allows one pending recharge per
 * account, so of racing claims only one inserts: false for the others.
 */
export async function claimPendingRecharge(
  tx: Executor,
  payment: PaymentRow,
  periodStart: Date,
  now: Date,
): Promise<boolean> {
  const inserted = await tx
    .insert(p)
    .values({ ...payment, status: 'pending', periodStart, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: p.id });
  return inserted.length > 0;
}

/** The account's latest auto-recharge payments, newest first. */
export function listRecentRecharges(db: Executor, accountId: string, limit: number): Promise<StoredPayment[]> {
  return db
    .select()
    .from(p)
    .where(and(eq(p.accountId, accountId), eq(p.kind, 'auto_recharge')))
    .orderBy(desc(p.createdAt))
    .limit(limit);
}

/**
 * Payments still pending that nothing has touched for `olderThanMs`, a page of them by id after `afterId`.
 * Measured on the database's clock, as the idempotency claims are: it is the time an attempt has really run,
 * not the billing date.
 */
export function listStalePendingPayments(
  db: Executor,
  args: { olderThanMs: number; afterId: string | null; limit: number },
): Promise<StoredPayment[]> {
  return db
    .select()
    .from(p)
    .where(
      and(
        eq(p.status, 'pending'),
        lt(p.updatedAt, sql`now() - ${args.olderThanMs} * interval '1 millisecond'`),
        args.afterId === null ? undefined : gt(p.id, args.afterId),
      ),
    )
    .orderBy(p.id)
    .limit(args.limit);
}

export async function markPaymentSucceeded(
  tx: Executor,
  args: { paymentId: string; paymentIntentId: string; now: Date },
): Promise<void> {
  await tx
    .update(p)
    .set({ status: 'succeeded', paymentIntentId: args.paymentIntentId, updatedAt: args.now })
    .where(eq(p.id, args.paymentId));
}

export async function markPaymentFailed(
  tx: Executor,
  args: {
    paymentId: string;
    paymentIntentId: string | null;
    /** The card the failed charge was made with, when known. */
    paymentMethodId?: string | null;
    code: string;
    message: string;
    now: Date;
  },
): Promise<void> {
  await tx
    .update(p)
    .set({
      status: 'failed',
      failureCode: args.code,
      failureMessage: args.message,
      ...(args.paymentIntentId ? { paymentIntentId: args.paymentIntentId } : {}),
      ...(args.paymentMethodId ? { paymentMethodId: args.paymentMethodId } : {}),
      updatedAt: args.now,
    })
    .where(eq(p.id, args.paymentId));
}

export type StoredAutoRechargeSettings = typeof settingsTable.$inferSelect;

export async function findAutoRechargeSettings(
  db: Executor,
  accountId: string,
): Promise<StoredAutoRechargeSettings | null> {
  const [row] = await db.select().from(settingsTable).where(eq(settingsTable.accountId, accountId));
  return row ?? null;
}

/** Saves the owner's settings; saving is also the owner's answer to a failed recharge, so it lifts the pause. */
export async function saveAutoRechargeSettings(
  db: Executor,
  accountId: string,
  settings: AutoRechargeSettings,
  now: Date,
): Promise<void> {
  await db
    .insert(settingsTable)
    .values({ accountId, ...settings, pausedPaymentId: null, updatedAt: now })
    .onConflictDoUpdate({
      target: settingsTable.accountId,
      set: { ...settings, pausedPaymentId: null, updatedAt: now },
    });
}

/** Stops auto-recharge after this failed payment, until the owner saves the settings again. */
export async function pauseAutoRecharge(tx: Executor, accountId: string, paymentId: string): Promise<void> {
  await tx.update(settingsTable).set({ pausedPaymentId: paymentId }).where(eq(settingsTable.accountId, accountId));
}

/** Lifts the pause only if this payment caused it (it was paid in the end). */
export async function liftRechargePause(tx: Executor, accountId: string, paymentId: string): Promise<void> {
  await tx
    .update(settingsTable)
    .set({ pausedPaymentId: null })
    .where(and(eq(settingsTable.accountId, accountId), eq(settingsTable.pausedPaymentId, paymentId)));
}

/**
 * Lifts the pause of an account's auto-recharge once the card the next charge would use (`cardId`) is another
 * than the one that failed: a new card deserves a try, the same one would only be declined again.
 */
export async function liftPauseForCard(tx: Executor, accountId: string, cardId: string): Promise<boolean> {
  const failedWithThisCard = tx
    .select({ id: p.id })
    .from(p)
    .where(and(eq(p.id, settingsTable.pausedPaymentId), eq(p.paymentMethodId, cardId)));
  const lifted = await tx
    .update(settingsTable)
    .set({ pausedPaymentId: null })
    .where(
      and(
        eq(settingsTable.accountId, accountId),
        isNotNull(settingsTable.pausedPaymentId),
        notExists(failedWithThisCard),
      ),
    )
    .returning({ accountId: settingsTable.accountId });
  return lifted.length > 0;
}

// ---- Idempotency records (purchase Idempotency-Key) ----

const r = schema.idempotencyRecords;

export interface IdempotencyScope {
  accountId: string;
  operation: string;
  key: string;
}

const byScope = (scope: IdempotencyScope) =>
  and(eq(r.accountId, scope.accountId), eq(r.operation, scope.operation), eq(r.key, scope.key));

/** Creates the record of a first attempt; false when the key already has one. */
export async function insertIdempotencyRecord(
  db: Executor,
  scope: IdempotencyScope,
  requestHash: string,
): Promise<boolean> {
  const { accountId, operation, key } = scope;
  const inserted = await db
    .insert(r)
    .values({ accountId, operation, key, requestHash, status: null, response: {} })
    .onConflictDoNothing()
    .returning({ key: r.key });
  return inserted.length > 0;
}

export async function findIdempotencyRecord(db: Executor, scope: IdempotencyScope) {
  const [record] = await db.select().from(r).where(byScope(scope));
  return record ?? null;
}

/**
 * Takes the key over in one conditional update, so two retries never both run: from a finished attempt,
 * or from a running one (`running`) whose claim is older than `staleAfter` (a Postgres interval). False
 * when the key is not free.
 */
export async function takeOverIdempotencyKey(
  db: Executor,
  scope: IdempotencyScope,
  running: boolean,
  staleAfter: string,
): Promise<boolean> {
  const free = running ? lt(r.claimedAt, sql`now() - ${staleAfter}::interval`) : isNotNull(r.status);
  const taken = await db
    .update(r)
    .set({ status: null, claimedAt: sql`now()` })
    .where(and(byScope(scope), free))
    .returning({ key: r.key });
  return taken.length > 0;
}

/** Stores the answer so far; `status` is set once the attempt has finished (null while it runs). */
export async function saveIdempotencyResponse(
  db: Executor,
  scope: IdempotencyScope,
  response: unknown,
  status?: number,
): Promise<void> {
  await db
    .update(r)
    .set(status === undefined ? { response } : { status, response })
    .where(byScope(scope));
}
