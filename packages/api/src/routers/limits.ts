import {
  invalidInput,
  MAX_EMAIL_LENGTH,
  MAX_IDEMPOTENCY_HEADER_LENGTH,
  MAX_RECORD_ID_LENGTH,
  textProblem,
} from '@contox/core';
import { z } from 'zod';

const TEXT_RULE = 'no control characters (no NUL, tab or newline) and no lone UTF-16 surrogates';

/**
 * Caller text that Postgres and every one-line view of it can hold: at most `max` characters (at least `min`),
 * no control characters, no lone surrogates. The rule is stated in the OpenAPI document beside the length.
 */
export function text(max: number, min = 0) {
  const sized = min > 0 ? z.string().min(min).max(max) : z.string().max(max);
  return sized
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ description: `${min > 0 ? `${min} to ${max}` : `At most ${max}`} characters; ${TEXT_RULE}.` });
}

/** A whole number from `min` to `max` (JSON body fields; fractions and anything past the bounds are refused). */
export const integer = (min: number, max: number) => z.number().int().min(min).max(max);

// Stripe's limit; printable ASCII, what an HTTP header carries unchanged.
const idempotencyKey = z
  .string()
  .min(1)
  .max(MAX_IDEMPOTENCY_HEADER_LENGTH)
  .regex(/^[ -~]*$/, 'must be printable ASCII (space to tilde)');

/**
 * The purchase's `Idempotency-Key` header, checked like a body field before anything is read or written: it
 * becomes part of a unique index entry, which Postgres refuses beyond a few kilobytes.
 */
export function idempotencyKeyHeader(value: string | null): string | null {
  if (value === null) return null;
  const checked = idempotencyKey.safeParse(value);
  if (checked.success) return checked.data;
  const problems = checked.error.issues.map((i) => i.message).join('; ');
  throw invalidInput(`Invalid request: Idempotency-Key: ${problems}`, { field: 'Idempotency-Key' });
}

/** An email address: at most MAX_EMAIL_LENGTH characters; compared and stored in lower case. */
export const emailAddress = () =>
  z
    .email()
    .max(MAX_EMAIL_LENGTH)
    .meta({ description: `An email address, at most ${MAX_EMAIL_LENGTH} characters; stored in lower case.` });

/** An id this API returned (`acc_…`, `mem_…`, `key_…`), in a path or a body. */
export const recordId = () => text(MAX_RECORD_ID_LENGTH, 1);
