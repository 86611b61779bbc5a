import type { IncomingMessage, ServerResponse } from 'node:http';
import { rateLimitRefusals } from '../metrics';
import { clientOf, createRateLimiter } from './rate-limit';
import { sendError } from './respond';

export interface Admission {
  /** Sets the rate-limit headers; answers 429 and returns false when the client is over its limit. */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  /** Counts a request whose credentials were refused against its IP. */
  refused(req: IncomingMessage): void;
}

/** `addressOf` names the client's address (through the trusted proxies): an IP's requests share one window. */
export function createAdmission(limitPerMinute: number, addressOf: (req: IncomingMessage) => string): Admission {
  const perClient = createRateLimiter(limitPerMinute);
  // Every new made-up key would open a fresh window of its own (and cost a lookup): refused credentials
  // also count against their IP, which is then held to the same limit.
  const refusedPerIp = createRateLimiter(limitPerMinute);
  return {
    admit(req, res) {
      const address = addressOf(req);
      const refused = refusedPerIp(`ip:${address}`, 0);
      const d = refused.allowed ? perClient(clientOf(req, address)) : refused;
      res.setHeader('X-RateLimit-Limit', d.limit);
      res.setHeader('X-RateLimit-Remaining', d.remaining);
      res.setHeader('X-RateLimit-Reset', d.reset);
      if (d.allowed) return true;
      rateLimitRefusals.inc({ reason: refused.allowed ? 'client' : 'refused_credentials' });
      res.setHeader('Retry-After', d.retryAfter);
      sendError(res, 429, `Rate limit exceeded: ${d.limit} requests per minute. Retry in ${d.retryAfter} s.`);
      return false;
    },
    refused(req) {
      refusedPerIp(`ip:${addressOf(req)}`);
    },
  };
}
