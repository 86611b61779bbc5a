// When a failed webhook delivery is tried again: exponential backoff from 30 s, doubling up to 6 h (±20 %), for up
// to three days after the event; the last attempt falls on the three-day mark.

export const RETRY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
export const FIRST_RETRY_MS = 30_000;
export const LONGEST_RETRY_MS = 6 * 60 * 60 * 1000;

/**
 * The wait after failed attempt number `attempt` (1 for the first): `baseMs` doubled per attempt, capped.
 * `jitter` in [0, 1) spreads it by ±20 % so endpoints coming back from an outage are not hit all at once.
 */
export function retryDelayMs(attempt: number, opts: { baseMs?: number; jitter?: number } = {}): number {
  const base = opts.baseMs ?? FIRST_RETRY_MS;
  const exponent = Math.min(Math.max(attempt, 1) - 1, 40);
  const delay = Math.min(base * 2 ** exponent, LONGEST_RETRY_MS);
  const spread = 0.8 + 0.4 * (opts.jitter ?? 0.5);
  return Math.round(delay * spread);
}

/**
 * When to try a delivery again after failed attempt `attempt`, or null to give up: never later than three
 * days after the event was created, and nothing once that moment has passed.
 */
export function nextRetryAt(args: {
  attempt: number;
  eventCreatedAt: Date;
  now: Date;
  baseMs?: number;
  jitter?: number;
}): Date | null {
  const deadline = args.eventCreatedAt.getTime() + RETRY_WINDOW_MS;
  const now = args.now.getTime();
  if (now >= deadline) return null;
  const opts = {
    ...(args.baseMs !== undefined ? { baseMs: args.baseMs } : {}),
    ...(args.jitter !== undefined ? { jitter: args.jitter } : {}),
  };
  return new Date(Math.min(now + retryDelayMs(args.attempt, opts), deadline));
}
