/** How the client waits out 429 and 503 answers. */
export interface RetryOptions {
  /** Further attempts after the first (default 3). */
  retries: number;
  /** A wait longer than this is not waited for: the 429 or 503 is the answer (default 60 s). */
  maxDelaySeconds: number;
  sleep: (ms: number) => Promise<void>;
}

/** Statuses worth the same request again later: rate limited, Stripe unavailable. */
const RETRIED = new Set([429, 503]);

/** `Retry-After` as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

/**
 * A fetch that sends a request again after a 429 or 503, waiting what `Retry-After` says (else 1, 2, 4 … s).
 * The request is sent unchanged each time, idempotency key included, so a retry never spends or charges twice.
 */
export function retryingFetch(
  send: (request: Request) => Promise<Response>,
  options: RetryOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await send(request.clone());
      if (!RETRIED.has(response.status) || attempt >= options.retries) return response;
      const wait = retryAfterSeconds(response.headers.get('retry-after')) ?? 2 ** attempt;
      if (wait > options.maxDelaySeconds) return response;
      await response.body?.cancel();
      await options.sleep(wait * 1000);
    }
  };
}
