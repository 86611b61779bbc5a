import type { IncomingMessage, ServerResponse } from 'node:http';
import { rateLimitRefusals, rateLimitWait } from '../metrics';
import type { RateLeases } from '../services/limits/rate-leases';
import { clientOf } from './rate-limit';
import { sendError } from './respond';

export interface Admission {
  /** Sets the rate-limit headers; answers 429 and resolves to false when the client is over its limit. */
  admit(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * Runs the lookup of a request's credential holding a place against its IP, and counts a refusal there
   * (`refused` says which results are). `over` without running it when the IP's refusals and the lookups under
   * way already reach the limit: made-up keys sent all at once stop at the limit, like ones sent in turn.
   */
  checkCredential<T>(
    req: IncomingMessage,
    lookup: () => Promise<T>,
    refused: (result: T) => boolean,
  ): Promise<Checked<T>>;
}

export type Checked<T> = { over: true; message: string } | { over: false; result: T };

/**
 * `addressOf` names the client's address (through the trusted proxies): an IP's requests share one window.
 * `leases` keep the windows: in the database when several processes share it, so the limit is theirs together.
 */
export function createAdmission(
  limitPerMinute: number,
  addressOf: (req: IncomingMessage) => string,
  leases: RateLeases,
): Admission {
  // Every new made-up key would open a fresh window of its own (and cost a lookup): refused credentials
  // also count against their IP, which is then held to the same limit.
  const refusedKey = (req: IncomingMessage) => `refused:${addressOf(req)}`;
  return {
    async admit(req, res) {
      const address = addressOf(req);
      const endWait = rateLimitWait.startTimer();
      const { count, over: spent, blocked, reset } = await leases.take(clientOf(req, address), refusedKey(req));
      endWait();
      const over = blocked || spent;
      const retryAfter = Math.max(1, Math.ceil(reset - Date.now() / 1000));
      res.setHeader('X-RateLimit-Limit', limitPerMinute);
      res.setHeader('X-RateLimit-Remaining', blocked ? 0 : Math.max(0, limitPerMinute - count));
      res.setHeader('X-RateLimit-Reset', Math.ceil(reset));
      if (!over) return true;
      rateLimitRefusals.inc({ reason: blocked ? 'refused_credentials' : 'client' });
      res.setHeader('Retry-After', retryAfter);
      sendError(res, 429, `Rate limit exceeded: ${limitPerMinute} requests per minute. Retry in ${retryAfter} s.`);
      return false;
    },
    async checkCredential(req, lookup, refused) {
      const key = refusedKey(req);
      const release = await leases.hold(key);
      if (!release) {
        rateLimitRefusals.inc({ reason: 'refused_credentials' });
        return { over: true, message: `Too many refused credentials from your address: ${limitPerMinute} per minute` };
      }
      try {
        const result = await lookup();
        // The place is given back only once the refusal is counted, so the two never both miss it.
        // A mark that cannot be counted (the database is going) leaves the answer as it is.
        if (refused(result)) await leases.mark(key).catch(() => {});
        return { over: false, result };
      } finally {
        release();
      }
    },
  };
}
