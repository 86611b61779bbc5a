import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who a request counts against: its credential (API key or session) when it presents one, else its address.
 * The credential only as a hash: the windows may be kept in the database, where no key is ever stored in clear.
 * Over-long headers fall back to the address.
 */
export function clientOf(req: IncomingMessage, address: string): string {
  const auth = req.headers.authorization ?? req.headers.cookie;
  if (auth && auth.length <= 512) return `cred:${createHash('sha256').update(auth).digest('base64url')}`;
  return `ip:${address}`;
}
