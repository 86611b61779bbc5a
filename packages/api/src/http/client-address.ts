import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * The client's address, read from `X-Forwarded-For` only through the proxies TRUST_PROXY names (a hop count,
 * or addresses/CIDRs); with none, the socket's address. A client cannot pick its own address by sending the
 * header: every hop not trusted ends the walk.
 */
export function clientAddressOf(trust: number | string[] | undefined): (req: IncomingMessage) => string {
  if (trust === undefined || (Array.isArray(trust) && trust.length === 0)) {
    return (req) => req.socket.remoteAddress ?? 'unknown';
  }
  const trusted = typeof trust === 'number' ? (_addr: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return (req) => proxyAddr(req, trusted);
}
