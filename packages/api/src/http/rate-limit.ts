import type { IncomingMessage } from 'node:http';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  retryAfter: number;
}

/**
 * Fixed one-minute windows per client: the API key (or session) when one is presented, else the IP.
 * In memory and per process: with several processes the effective limit is per process.
 */
export function createRateLimiter(limitPerMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;

  function sweep(t: number) {
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [k, w] of windows) if (t - w.start >= 60_000) windows.delete(k);
  }

  /** Counts one request of `client` (or none, with `count: 0`) and says whether it is within the limit. */
  return function check(client: string, count: 0 | 1 = 1): RateDecision {
    const t = now();
    sweep(t);
    let w = windows.get(client);
    if (!w || t - w.start >= 60_000) {
      w = { start: t - (t % 60_000), count: 0 };
      windows.set(client, w);
    }
    w.count += count;
    const reset = Math.ceil((w.start + 60_000) / 1000);
    return {
      allowed: w.count <= limitPerMinute - 1 + count,
      limit: limitPerMinute,
      remaining: Math.max(0, limitPerMinute - w.count),
      reset,
      retryAfter: Math.max(1, reset - Math.floor(t / 1000)),
    };
  };
}

/** The credential itself keys the window (it never leaves the process); over-long headers fall back to the IP. */
export function clientOf(req: IncomingMessage, address: string): string {
  const auth = req.headers.authorization ?? req.headers.cookie;
  if (auth && auth.length <= 512) return `cred:${auth}`;
  return `ip:${address}`;
}
