import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { BillingHandler, Logger } from '@contox/api';
import { securityHeaders } from './security-headers';
import { staticSite } from './static-site';

export interface AppServer {
  server: Server;
  /**
   * Stops taking connections and waits until every request already received is answered and its work done
   * (a spend's batch committed), at most `budgetMs`; then closes what is left. Resolves to the number of
   * requests that were still running when the budget ran out.
   */
  drain(budgetMs: number): Promise<number>;
}

/** `publicUrl` is the service's public address (APP_URL), known once listening. */
export function createAppServer(billing: BillingHandler, log: Logger, publicUrl: () => string): AppServer {
  const site = staticSite();
  const secure = securityHeaders(publicUrl);
  // Every request from arrival until both its handler has finished and its response is closed: a spend whose
  // caller hung up still holds a place in a batch that has to commit.
  const running = new Set<ServerResponse>();
  const settled: (() => void)[] = [];
  let draining = false;
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (!(await billing(req, res))) site(req, res);
  };
  const server = createServer((req, res) => {
    running.add(res);
    secure(res);
    if (draining) res.setHeader('Connection', 'close');
    const handled = serve(req, res).catch((err: unknown) => {
      log.error('request failed', { path: req.url, error: String(err) });
      if (!res.headersSent) res.writeHead(500).end();
    });
    const closed = new Promise((resolve) => res.once('close', resolve));
    void Promise.all([handled, closed]).then(() => {
      running.delete(res);
      if (running.size === 0) for (const resolve of settled.splice(0)) resolve();
    });
  });
  server.keepAliveTimeout = 65_000;

  const idle = () => new Promise<void>((resolve) => (running.size === 0 ? resolve() : settled.push(resolve)));
  const closed = new Promise<void>((resolve) => server.once('close', resolve));

  async function drain(budgetMs: number): Promise<number> {
    draining = true;
    // A response not yet started tells its client not to send more on this connection.
    for (const res of running) if (!res.headersSent) res.setHeader('Connection', 'close');
    // Only the listening socket: http.Server#close would also drop idle keep-alive connections at once,
    // resetting a request whose bytes are already on the way but not read yet. Those close below instead.
    NetServer.prototype.close.call(server);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'over'>((resolve) => {
      timer = setTimeout(() => resolve('over'), budgetMs);
    });
    const outcome = await Promise.race([idle().then(() => 'idle' as const), budget]);
    const unanswered = outcome === 'over' ? running.size : 0;
    if (unanswered > 0) {
      log.error('requests still running when the shutdown budget ran out: closing their connections', {
        requests: unanswered,
        budgetMs,
      });
      server.closeAllConnections();
    } else server.closeIdleConnections();
    await Promise.race([closed, budget]);
    clearTimeout(timer);
    server.closeAllConnections();
    return unanswered;
  }

  return { server, drain };
}
