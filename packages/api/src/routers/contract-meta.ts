import type { OpenApiMeta } from 'trpc-to-openapi';
import type { ErrorCode } from '../error-codes';

/**
 * What a procedure adds to its OpenAPI meta so that the document says what the wire does. Everything its kind
 * of access implies (401, 403, invalid input, 413/415 for bodies, 404 for `{id}` paths, 429, 500) is added
 * centrally by http/openapi-contract.ts; `errors` lists only what this procedure's own work can answer.
 */
export type ContractMeta = {
  /** Error codes the procedure's service can answer with (`insufficient_credits`, `stripe_unavailable`, …). */
  errors?: readonly ErrorCode[];
  /** One real request and its answer, shown in the document and the docs page (checked against the schemas). */
  examples?: { input?: Record<string, unknown>; output: unknown };
  /** The procedure honours an `Idempotency-Key` header: a retry answers the first answer and repeats nothing. */
  idempotencyKeyHeader?: boolean;
  /** The REST status of a success when it is not 200 (e.g. 201 for a creation); a list when it may be either. */
  successStatus?: number | readonly number[];
};

export type BillingMeta = OpenApiMeta<ContractMeta>;
