import type { IncomingMessage, ServerResponse } from 'node:http';
import { rateLimitRefusals, rateLimitWait } from '../metrics';
import type { RateCounter } from '../services/limits/rate-counter';
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
 * `counter` keeps the windows: in the database when several processes share it, so the limit is theirs together.
 */
export function createAdmission(
  limitPerMinute: number,
  addressOf: (req: IncomingMessage) => string,
  counter: RateCounter,
): Admission {
  // Every new made-up key would open a fresh window of its own (and cost a lookup): refused credentials
  // also count against their IP, which is then held to the same limit.
  const refusedKey = (req: IncomingMessage) => `refused:${addressOf(req)}`;
  return {
    async admit(req, res) {
      const address = addressOf(req);
      const endWait = rateLimitWait.startTimer();
      const {
        counts: [refused, client],
        reset,
      } = await counter([
        { key: refusedKey(req), n: 0 },
        { key: clientOf(req, address), n: 1 },
      ]);
      endWait();
      const blocked = refused! >= limitPerMinute;
      const over = blocked || client! > limitPerMinute;
      const retryAfter = Math.max(1, Math.ceil(reset - Date.now() / 1000));
      res.setHeader('X-RateLimit-Limit', limitPerMinute);
      res.setHeader('X-RateLimit-Remaining', blocked ? 0 : Math.max(0, limitPerMinute - client!));
      res.setHeader('X-RateLimit-Reset', Math.ceil(reset));
      if (!over) return true;
      rateLimitRefusals.inc({ reason: blocked ? 'refused_credentials' : 'client' });
      res.setHeader('Retry-After', retryAfter);
      sendError(res, 429, `Rate limit exceeded: ${limitPerMinute} requests per minute. Retry in ${retryAfter} s.`);
      return false;
    },
    refused(req) {
      void counter([{ key: refusedKey(req), n: 1 }]);
    },
  };
}
