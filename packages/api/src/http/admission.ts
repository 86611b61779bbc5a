import type { IncomingMessage, ServerResponse } from 'node:http';
import { rateLimitRefusals, rateLimitWait } from '../metrics';
import type { RateLeases } from '../services/limits/rate-leases';
import { clientOf } from './rate-limit';
import { sendError } from './respond';

export interface Admission {
  /** Sets the rate-limit headers; answers 429 and resolves to false when the client is over its limit. */
  admit(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Counts a request whose credentials were refused against its IP. */
  refused(req: IncomingMessage): void;
}

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
    refused(req) {
      leases.mark(refusedKey(req));
    },
  };
}
