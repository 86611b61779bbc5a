import { createHash } from 'node:crypto';
import { DomainError, isDomainError } from '@contox/core';
import { type Database, schema } from '@contox/db';
import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';

interface Stored<T> {
  /** Set while the first attempt runs, so a retry can resume the same Stripe payment. */
  resume?: string;
  ok?: T;
  error?: { code: DomainError['code']; message: string };
}

const RETRIABLE = new Set(['PAYMENT_PROVIDER_UNAVAILABLE', 'RATE_LIMITED']);
// Stripe calls time out after 80 s and are retried twice: an attempt still holding a key after this is gone.
const STALE_CLAIM = '5 minutes';
const r = schema.idempotencyRecords;

export const hashRequest = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/**
 * `Idempotency-Key` semantics as Stripe has them: the same key and body return the first answer (even an
 * error); another body under the same key is a conflict. After an outage the retry resumes the first
 * attempt (`resume`) instead of starting a second payment.
 */
export async function idempotent<T>(
  db: Database,
  scope: { accountId: string; operation: string; key: string; request: unknown },
  run: (resume: string | undefined, remember: (resume: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const where = and(
    eq(schema.idempotencyRecords.accountId, scope.accountId),
    eq(schema.idempotencyRecords.operation, scope.operation),
    eq(schema.idempotencyRecords.key, scope.key),
  );
  const requestHash = hashRequest(scope.request);
  const inserted = await db
    .insert(schema.idempotencyRecords)
    .values({ ...scope, requestHash, status: null, response: {} })
    .onConflictDoNothing()
    .returning({ key: schema.idempotencyRecords.key });
  let resume: string | undefined;
  if (inserted.length === 0) {
    const [record] = await db.select().from(schema.idempotencyRecords).where(where);
    if (!record) throw new DomainError('CONFLICT', 'Idempotency record vanished: retry');
    if (record.requestHash !== requestHash) {
      throw new DomainError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request');
    }
    const stored = record.response as Stored<T>;
    if (stored.ok !== undefined) return stored.ok;
    if (stored.error && !RETRIABLE.has(stored.error.code))
      throw new DomainError(stored.error.code, stored.error.message);
    // One attempt at a time: a retry takes the key over from a failed attempt, or from a running one that has
    // held it longer than any Stripe call can take (its process died). Taking it is one conditional update,
    // so two retries never both run.
    const free = record.status === null ? lt(r.claimedAt, sql`now() - ${STALE_CLAIM}::interval`) : isNotNull(r.status);
    const taken = await db
      .update(r)
      .set({ status: null, claimedAt: sql`now()` })
      .where(and(where, free))
      .returning({ key: r.key });
    if (taken.length === 0) {
      throw new DomainError('IDEMPOTENCY_CONFLICT', 'A request with this Idempotency-Key is still in progress');
    }
    resume = stored.resume;
  }
  const save = (status: number, response: Stored<T>) =>
    db.update(schema.idempotencyRecords).set({ status, response }).where(where);
  const remember = async (id: string) => {
    resume = id;
    await db
      .update(schema.idempotencyRecords)
      .set({ response: { resume: id } })
      .where(where);
  };
  try {
    const ok = await run(resume, remember);
    await save(200, { ok });
    return ok;
  } catch (err) {
    const error = isDomainError(err)
      ? { code: err.code, message: err.message }
      : { code: 'PAYMENT_PROVIDER_UNAVAILABLE' as const, message: 'Interrupted' };
    await save(isDomainError(err) ? 400 : 500, { ...(resume ? { resume } : {}), error });
    throw err;
  }
}
