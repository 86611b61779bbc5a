export interface ErrorInfo {
  message: string;
  /** The billing domain's code (CARD_DECLINED, NO_PAYMENT_METHOD, …) when the server gave one. */
  domainCode: string | null;
  /** tRPC code such as UNAUTHORIZED. */
  code: string | null;
  httpStatus: number | null;
  /** Domain details, e.g. `{ field }` for INVALID_SETTINGS. */
  details: Record<string, unknown> | null;
  /** The server's `X-Request-Id` for this answer: what support needs to find a fault in the logs. */
  requestId: string | null;
}

interface ErrorShape {
  message?: unknown;
  data?: { domainCode?: unknown; code?: unknown; httpStatus?: unknown; details?: unknown } | null;
  // tRPC's http links keep the raw Response of a failed call here.
  meta?: { response?: { headers?: { get?(name: string): string | null } } } | null;
}

/**
 * Reads a tRPC client error by shape rather than class, so components can be tested with plain objects
 * and so a network failure (no `data`) still yields a message.
 */
export function errorInfo(err: unknown): ErrorInfo {
  const shape = shapeOf(err);
  const data = shape.data ?? {};
  const rawMessage = rawMessageOf(err);
  const httpStatus = typeof data.httpStatus === 'number' ? data.httpStatus : null;
  const requestId = shape.meta?.response?.headers?.get?.('x-request-id') ?? null;
  return {
    message: friendlyMessage(rawMessage, httpStatus, requestId),
    domainCode: typeof data.domainCode === 'string' ? data.domainCode : null,
    code: typeof data.code === 'string' ? data.code : null,
    httpStatus,
    details:
      typeof data.details === 'object' && data.details !== null ? (data.details as Record<string, unknown>) : null,
    requestId,
  };
}

function shapeOf(err: unknown): ErrorShape {
  return (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
}

function rawMessageOf(err: unknown): string {
  const { message } = shapeOf(err);
  return typeof message === 'string' ? message : String(err);
}

// What fetch itself says, in Chrome, Firefox and Safari, when no answer came back at all.
const NETWORK_FAILURE = /failed to fetch|networkerror|load failed/i;

/** What a gateway in front of the service answers while the service behind it is down or restarting. */
export const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

function friendlyMessage(message: string, httpStatus: number | null, requestId: string | null): string {
  // fetch's own wording tells people nothing about what to do.
  if (NETWORK_FAILURE.test(message)) {
    return 'Cannot reach the billing service. Check your connection and try again.';
  }
  if (httpStatus === null || httpStatus < 500) return message;
  const quote = `contact support${requestId ? ` and quote request id ${requestId}` : ''}.`;
  // A worded fault (the payment provider is down, try again) keeps its words; a bare one gets a sentence.
  const said = message.trim();
  if (said && !/^internal server error\.?$/i.test(said)) {
    return `${said}${/[.!?]$/.test(said) ? '' : '.'} If it keeps happening, ${quote}`;
  }
  return `Something went wrong on our side. Try again in a moment; if it keeps happening, ${quote}`;
}

export function isUnauthorized(err: unknown): boolean {
  const info = errorInfo(err);
  return info.code === 'UNAUTHORIZED' || info.httpStatus === 401;
}

/**
 * The service was not reached (no answer, or a gateway answered for it): asking again later can succeed.
 * A domain error (a 503 saying the payment provider is down) is an answer from the service, not this.
 */
export function isUnreachable(err: unknown): boolean {
  const { httpStatus, domainCode } = errorInfo(err);
  if (domainCode !== null) return false;
  if (httpStatus !== null) return GATEWAY_STATUSES.has(httpStatus);
  return NETWORK_FAILURE.test(rawMessageOf(err));
}
