import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { pingDatabase } from '../store/health';
import type { BillingDeps } from '../deps';
import { renderDocsPage } from './docs-page';
import { openApiDocument } from './openapi-document';
import { createRestHandler } from './rest-handler';
import { appRouter } from '../routers/root';
import { handleStripeWebhook } from '../webhook/handle-webhook';
import { handleAuthRoute } from './auth-routes';
import { clientOf, createRateLimiter, ipOf } from './rate-limit';
import { contextFactory } from './context';
import { sendError, sendJson } from './respond';

export type BillingHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Everything the billing service answers: `/trpc`, the REST paths under `/api`, the sign-in routes
 * and `/healthz`. Resolves to false for any other path, which the host app serves (the SPA).
 */
export function createBillingHandler(deps: BillingDeps): BillingHandler {
  const rateLimit = createRateLimiter(deps.config.RATE_LIMIT_PER_MINUTE);
  // Every new made-up key would open a fresh window of its own (and cost a lookup): refused credentials
  // also count against their IP, which is then held to the same limit.
  const refusedPerIp = createRateLimiter(deps.config.RATE_LIMIT_PER_MINUTE);
  const createContext = contextFactory(deps, (req) => refusedPerIp(ipOf(req)));
  const rest = createRestHandler(createContext, deps.log);
  const doc = openApiDocument(deps.config.appUrl);
  const docsPage = renderDocsPage(doc);

  /** Sets the rate-limit headers; answers 429 and returns false when the client is over its limit. */
  function admit(req: IncomingMessage, res: ServerResponse): boolean {
    const refused = refusedPerIp(ipOf(req), 0);
    const d = refused.allowed ? rateLimit(clientOf(req)) : refused;
    res.setHeader('X-RateLimit-Limit', d.limit);
    res.setHeader('X-RateLimit-Remaining', d.remaining);
    res.setHeader('X-RateLimit-Reset', d.reset);
    if (d.allowed) return true;
    res.setHeader('Retry-After', d.retryAfter);
    sendError(res, 429, `Rate limit exceeded: ${d.limit} requests per minute. Retry in ${d.retryAfter} s.`);
    return false;
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path === '/healthz') {
      await pingDatabase(deps.database.db);
      sendJson(res, 200, { status: 'ok', database: deps.database.kind });
      return true;
    }
    if (path.startsWith('/trpc/')) {
      if (!admit(req, res)) return true;
      await nodeHTTPRequestHandler({
        router: appRouter,
        createContext,
        req,
        res,
        path: path.slice('/trpc/'.length),
        maxBodySize: 1_000_000,
        onError: ({ error }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR') deps.log.error('trpc failure', { error: String(error.cause) });
        },
      });
      return true;
    }
    if (path.startsWith('/auth/')) return handleAuthRoute(deps, req, res, url);
    if (path === '/api/openapi.json') {
      sendJson(res, 200, doc);
      return true;
    }
    if (path === '/api/docs') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(docsPage);
      return true;
    }
    if (path === '/api/billing/webhook') {
      await handleStripeWebhook(deps, req, res);
      return true;
    }
    if (path.startsWith('/api/')) {
      if (!admit(req, res)) return true;
      await rest(req, res, url);
      return true;
    }
    return false;
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      return await route(req, res, url);
    } catch (err) {
      deps.log.error('request failed', { path: url.pathname, error: String(err) });
      if (!res.headersSent) sendError(res, 500, 'Internal server error');
      else res.destroy();
      return true;
    }
  };
}
