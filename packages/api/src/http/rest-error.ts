import { isDomainError } from '@contox/core';
import { TRPCError } from '@trpc/server';
import type { ErrorCode } from '../error-codes';
import { errorCodeOf, httpStatusOf } from '../errors';
import { invalidInputMessage } from '../routers/invalid-input';

export interface ErrorBody {
  error: string;
  code: ErrorCode;
}

/** What a domain error adds to its answer beside error and code (a refused usage call's per-event results). */
function answerFields(err: TRPCError): Record<string, unknown> {
  const answer = isDomainError(err.cause) ? err.cause.details?.answer : undefined;
  return typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? { ...answer } : {};
}

/** Any failure as the contract's `{ "error": "…", "code": "…" }` and its status; invalid input names the fields at fault. */
export function restError(err: unknown): { status: number; body: ErrorBody } {
  const e = err instanceof TRPCError ? err : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err });
  const status = httpStatusOf[e.code];
  const code = errorCodeOf(e);
  if (e.code === 'INTERNAL_SERVER_ERROR') return { status, body: { error: 'Internal server error', code } };
  return { status, body: { ...answerFields(e), error: invalidInputMessage(e) ?? e.message, code } };
}
