import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerToken, readSessionCookie } from '../services/auth/principal';

const MAX_CREDENTIAL = 512;
const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

/**
 * Who a request counts against: its credential (API key or session) when it presents one, else its address.
 * The credential as authentication reads it, not the header as sent: `bearer`, extra spaces or other cookies
 * beside the session's are the same client, or one key would have as many windows as spellings. Only as a
 * hash: the windows may be kept in the database, where no key is ever stored in clear. A malformed or
 * over-long credential counts against the address (it is refused, and refusals count there too).
 */
export function clientOf(req: IncomingMessage, address: string): string {
  const token = req.headers.authorization
    ? bearerToken(req.headers.authorization)
    : readSessionCookie(req.headers.cookie);
  if (token && token.length <= MAX_CREDENTIAL)
    return `cred:${hash(req.headers.authorization ? token : `session:${token}`)}`;
  return `ip:${address}`;
}
