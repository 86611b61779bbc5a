import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { sql } from 'drizzle-orm';
import type { BillingDeps } from '../deps';
import { renderDocsPage } from '../rest/docs-page';
import { openApiDocument } from '../rest/openapi-document';
import { createRestHandler } from '../rest/rest-handler';
import { appRouter } from '../root';
import { handleAuthRoute } from './auth-routes';
import { contextFactory } from './context';
import { sendError, sendJson } from './respond';

export type BillingHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Everything the billing service answers: `/trpc`, the REST paths under `/api`, the sign-in routes
 * and `/healthz`. Resolves to false for any other path, which the host app serves (the SPA).
 */
export function createBillingHandler(deps: BillingDeps): BillingHandler {
  const rest = createRestHandler(deps);
  const createContext = contextFactory(deps);
  const doc = openApiDocument(deps.config.appUrl);
  const docsPage = renderDocsPage(doc);

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path === '/healthz') {
      await deps.database.db.execute(sql`select 1`);
      sendJson(res, 200, { status: 'ok', database: deps.database.kind });
      return true;
    }
    if (path.startsWith('/trpc/')) {
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
    if (path.startsWith('/api/')) {
      await rest(req, res, () => sendError(res, 404, `No such endpoint: ${req.method} ${path}`));
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
