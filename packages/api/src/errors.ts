import { type DomainErrorCode, isDomainError } from '@contox/core';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { codeOfStatus, type ErrorCode } from './error-codes';

// The one place where domain errors meet transport codes; REST statuses follow from the tRPC code.
const codeMap: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  // Lifted by paying for a bigger plan, like the other payment problems.
  PLAN_LIMIT_REACHED: 'PAYMENT_REQUIRED',
  INSUFFICIENT_CREDITS: 'PAYMENT_REQUIRED',
  INVALID_SETTINGS: 'BAD_REQUEST',
  UNKNOWN_PLAN: 'BAD_REQUEST',
  UNKNOWN_PACK: 'BAD_REQUEST',
  INVALID_INPUT: 'BAD_REQUEST',
  INVALID_SEATS: 'BAD_REQUEST',
  CREDITS_NOT_ALLOWED: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  NO_PAYMENT_METHOD: 'CONFLICT',
  CARD_DECLINED: 'PAYMENT_REQUIRED',
  AUTHENTICATION_REQUIRED: 'PAYMENT_REQUIRED',
  PAYMENT_FAILED: 'PAYMENT_REQUIRED',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  PAYMENT_PROVIDER_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  IDEMPOTENCY_CONFLICT: 'CONFLICT',
};

/** The machine-readable `code` of each domain error, in REST bodies and tRPC errors' `data.errorCode`. */
const errorCodeOfDomain: Record<DomainErrorCode, ErrorCode> = {
  PLAN_LIMIT_REACHED: 'plan_limit_reached',
  INSUFFICIENT_CREDITS: 'insufficient_credits',
  INVALID_SETTINGS: 'validation_failed',
  UNKNOWN_PLAN: 'validation_failed',
  UNKNOWN_PACK: 'validation_failed',
  INVALID_INPUT: 'validation_failed',
  INVALID_SEATS: 'validation_failed',
  CREDITS_NOT_ALLOWED: 'credits_not_allowed',
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  NO_PAYMENT_METHOD: 'no_payment_method',
  CARD_DECLINED: 'card_declined',
  AUTHENTICATION_REQUIRED: 'authentication_required',
  PAYMENT_FAILED: 'payment_failed',
  RATE_LIMITED: 'rate_limited',
  PAYMENT_PROVIDER_UNAVAILABLE: 'stripe_unavailable',
  IDEMPOTENCY_CONFLICT: 'idempotency_conflict',
};

export const httpStatusOf: Record<TRPC_ERROR_CODE_KEY, number> = {
  PARSE_ERROR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  TIMEOUT: 408,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  PRECONDITION_REQUIRED: 428,
  TOO_MANY_REQUESTS: 429,
  CLIENT_CLOSED_REQUEST: 499,
  INTERNAL_SERVER_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
};

export function toTRPCError(err: unknown): TRPCError | null {
  if (!isDomainError(err)) return null;
  return new TRPCError({ code: codeMap[err.code], message: err.message, cause: err });
}

/** A domain error's own code; any other failure (invalid input, unknown procedure, a bug) the code of its status. */
export function errorCodeOf(err: TRPCError): ErrorCode {
  return isDomainError(err.cause) ? errorCodeOfDomain[err.cause.code] : codeOfStatus(httpStatusOf[err.code]);
}
