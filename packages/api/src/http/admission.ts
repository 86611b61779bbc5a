import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientOf, createRateLimiter, ipOf } from './rate-limit';
import { sendError } from './respond';

export interface Admission {
  /** Sets the rate-limit headers; answers 429 and returns false when the client is over its limit. */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  /** Counts a request whose credentials were refused against its IP. */
  refused(req: IncomingMessage): void;
}

export function createAdmission(limitPerMinute: number): Admission {
  const perClient = createRateLimiter(limitPerMinute);
  // Every new made-up key would open a fresh window of its own (and cost a lookup): refused credentials
  // also count against their IP, which is then held to the same limit.
  const refusedPerIp = createRateLimiter(limitPerMinute);
  return {
    admit(req, res) {
      const refused = refusedPerIp(ipOf(req), 0);
      const d = refused.allowed ? perClient(clientOf(req)) : refused;
      res.setHeader('X-RateLimit-Limit', d.limit);
      res.setHeader('X-RateLimit-Remaining', d.remaining);
      res.setHeader('X-RateLimit-Reset', d.reset);
      if (d.allowed) return true;
      res.setHeader('Retry-After', d.retryAfter);
      sendError(res, 429, `Rate limit exceeded: ${d.limit} requests per minute. Retry in ${d.retryAfter} s.`);
      return false;
    },
    refused(req) {
      refusedPerIp(ipOf(req));
    },
  };
}
