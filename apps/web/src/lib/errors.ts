export interface ErrorInfo {
  message: string;
  /** The billing domain's code (CARD_DECLINED, NO_PAYMENT_METHOD, …) when the server gave one. */
  domainCode: string | null;
  /** tRPC code such as UNAUTHORIZED. */
  code: string | null;
  httpStatus: number | null;
  /** Domain details, e.g. `{ field }` for INVALID_SETTINGS. */
  details: Record<string, unknown> | null;
}

interface ErrorShape {
  message?: unknown;
  data?: { domainCode?: unknown; code?: unknown; httpStatus?: unknown; details?: unknown } | null;
}

/**
 * Reads a tRPC client error by shape rather than class, so components can be tested with plain objects
 * and so a network failure (no `data`) still yields a message.
 */
export function errorInfo(err: unknown): ErrorInfo {
  const shape = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  const data = shape.data ?? {};
  const rawMessage = typeof shape.message === 'string' ? shape.message : String(err);
  return {
    message: friendlyMessage(rawMessage),
    domainCode: typeof data.domainCode === 'string' ? data.domainCode : null,
    code: typeof data.code === 'string' ? data.code : null,
    httpStatus: typeof data.httpStatus === 'number' ? data.httpStatus : null,
    details:
      typeof data.details === 'object' && data.details !== null ? (data.details as Record<string, unknown>) : null,
  };
}

function friendlyMessage(message: string): string {
  // fetch's own wording tells people nothing about what to do.
  if (/failed to fetch|networkerror|load failed/i.test(message)) {
    return 'Cannot reach the billing service. Check your connection and try again.';
  }
  return message;
}

export function isUnauthorized(err: unknown): boolean {
  const info = errorInfo(err);
  return info.code === 'UNAUTHORIZED' || info.httpStatus === 401;
}
