import { createHash } from 'node:crypto';
import { DomainError, isDomainError } from '@contox/core';
import type { Database } from '@contox/db';
import {
  findIdempotencyRecord,
  type IdempotencyScope,
  insertIdempotencyRecord,
  saveIdempotencyResponse,
  takeOverIdempotencyKey,
} from '../../store/payments';

interface Stored<T> {
  /** Set while the first attempt runs, so a retry can resume the same Stripe payment. */
  resume?: string;
  ok?: T;
  error?: { code: DomainError['code']; message: string };
}

const RETRIABLE = new Set(['PAYMENT_PROVIDER_UNAVAILABLE', 'RATE_LIMITED']);
// Stripe calls time out after 80 s and are retried twice: an attempt still holding a key after this is gone.
const STALE_CLAIM = '5 minutes';

export const hashRequest = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/**
 * A retry of a key already claimed: the stored answer, or the key taken over with the first attempt's
 * `resume` when that attempt failed retriably or died.
 */
async function retryOf<T>(
  db: Database,
  scope: IdempotencyScope,
  requestHash: string,
): Promise<{ answer: T } | { resume: string | undefined }> {
  const record = await findIdempotencyRecord(db, scope);
  if (!record) throw new DomainError('CONFLICT', 'Idempotency record vanished: retry');
  if (record.requestHash !== requestHash) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request');
  }
  const stored = record.response as Stored<T>;
  if (stored.ok !== undefined) return { answer: stored.ok };
  if (stored.error && !RETRIABLE.has(stored.error.code)) throw new DomainError(stored.error.code, stored.error.message);
  // One attempt at a time: a retry takes the key over from a failed attempt, or from a running one that has
  // held it longer than any Stripe call can take (its process died).
  if (!(await takeOverIdempotencyKey(db, scope, record.status === null, STALE_CLAIM))) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', 'A request with this Idempotency-Key is still in progress');
  }
  return { resume: stored.resume };
}

/**
 * `Idempotency-Key` semantics as Stripe has them: the same key and body return the first answer (even an
 * error); another body under the same key is a conflict. After an outage the retry resumes the first
 * attempt (`resume`) instead of starting a second payment.
 */
export async function idempotent<T>(
  db: Database,
  scope: IdempotencyScope & { request: unknown },
  run: (resume: string | undefined, remember: (resume: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const requestHash = hashRequest(scope.request);
  let resume: string | undefined;
  if (!(await insertIdempotencyRecord(db, scope, requestHash))) {
    const retry = await retryOf<T>(db, scope, requestHash);
    if ('answer' in retry) return retry.answer;
    resume = retry.resume;
  }
  const remember = async (id: string) => {
    resume = id;
    await saveIdempotencyResponse(db, scope, { resume: id });
  };
  try {
    const ok = await run(resume, remember);
    await saveIdempotencyResponse(db, scope, { ok }, 200);
    return ok;
  } catch (err) {
    const error = isDomainError(err)
      ? { code: err.code, message: err.message }
      : { code: 'PAYMENT_PROVIDER_UNAVAILABLE' as const, message: 'Interrupted' };
    await saveIdempotencyResponse(db, scope, { ...(resume ? { resume } : {}), error }, isDomainError(err) ? 400 : 500);
    throw err;
  }
}
