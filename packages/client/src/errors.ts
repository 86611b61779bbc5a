import type { components } from './schema';

/** Every `code` an error answer may carry (the API's documented list). */
export type ErrorCode = components['schemas']['ErrorCode'];

/** An answer other than a success: the API's `{ error, code }` with its status and request id. */
export class BillingApiError extends Error {
  override readonly name = 'BillingApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** The `X-Request-Id` of the answer: quote it when reporting a problem. */
    readonly requestId: string | null,
    /** The whole error body (some errors carry more than `error` and `code`, e.g. per-event `results`). */
    readonly body: unknown,
  ) {
    super(message);
  }
}

const isErrorBody = (body: unknown): body is { error: string; code: ErrorCode } =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { error?: unknown }).error === 'string' &&
  typeof (body as { code?: unknown }).code === 'string';

/** The error of a failed answer; a body that is not the API's (a proxy's page) is `internal` with the status. */
export function apiError(response: Response, body: unknown): BillingApiError {
  const requestId = response.headers.get('x-request-id');
  if (isErrorBody(body)) return new BillingApiError(response.status, body.code, body.error, requestId, body);
  return new BillingApiError(response.status, 'internal', `HTTP ${response.status}`, requestId, body);
}

/**
 * The data of an openapi-fetch call, or a thrown BillingApiError:
 * `const credits = await ok(billing.api.GET('/api/billing/credits'))`.
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw apiError(response, error);
  return data as T;
}
