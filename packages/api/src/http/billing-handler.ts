import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BillingDeps } from '../deps';
import { type Admission, createAdmission } from './admission';
import { handleAuthRoute } from './auth-routes';
import { contextFactory } from './context';
import { sendError } from './respond';
import { createRestHandler } from './rest-handler';
import { docsRoutes, serveHealth } from './service-routes';
import { serveStripeWebhook } from './stripe-webhook';
import { trpcRoute } from './trpc-route';

export type BillingHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Serves one request; resolves to false when the path is not the billing service's after all. */
type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
type Serve = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

const always =
  (serve: Serve): Route =>
  async (req, res, url) => {
    await serve(req, res, url);
    return true;
  };

/** Routes that count against the caller's rate limit: over it, they answer 429 instead. */
const metered =
  (admission: Admission, serve: Serve): Route =>
  async (req, res, url) => {
    if (admission.admit(req, res)) await serve(req, res, url);
    return true;
  };

/** Exact paths first, then prefixes in order: `/api/` takes what no exact `/api/…` path took. */
function routingTable(deps: BillingDeps): (path: string) => Route | undefined {
  const admission = createAdmission(deps.config.RATE_LIMIT_PER_MINUTE);
  const createContext = contextFactory(deps, admission.refused);
  const docs = docsRoutes(deps.config.appUrl);
  const exact = new Map<string, Route>([
    ['/healthz', always((_req, res) => serveHealth(deps, res))],
    ['/api/openapi.json', always((_req, res) => docs.openApi(res))],
    ['/api/docs', always((_req, res) => docs.docsPage(res))],
    ['/api/billing/webhook', always((req, res) => serveStripeWebhook(deps, req, res))],
  ]);
  const prefixes: [string, Route][] = [
    ['/trpc/', metered(admission, trpcRoute(deps, createContext))],
    ['/auth/', (req, res, url) => handleAuthRoute(deps, req, res, url)],
    ['/api/', metered(admission, createRestHandler(createContext, deps.log))],
  ];
  return (path) => exact.get(path) ?? prefixes.find(([prefix]) => path.startsWith(prefix))?.[1];
}

/**
 * Everything the billing service answers: `/trpc`, the REST paths under `/api`, the sign-in routes
 * and `/healthz`. Resolves to false for any other path, which the host app serves (the SPA).
 */
export function createBillingHandler(deps: BillingDeps): BillingHandler {
  const routeOf = routingTable(deps);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const route = routeOf(url.pathname);
      return route ? await route(req, res, url) : false;
    } catch (err) {
      deps.log.error('request failed', { path: url.pathname, error: String(err) });
      if (!res.headersSent) sendError(res, 500, 'Internal server error');
      else res.destroy();
      return true;
    }
  };
}
