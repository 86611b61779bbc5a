import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BillingDeps } from '../deps';
import { type Admission, createAdmission } from './admission';
import { authRouteOf } from './auth-routes';
import { clientAddressOf } from './client-address';
import { contextFactory } from './context';
import { docsRoutes, SCALAR_SCRIPT_PATH } from './docs-page';
import { serveMetrics } from './metrics-route';
import { observeRequest } from './observe-request';
import { sendError } from './respond';
import { createRestHandler } from './rest-handler';
import { restRouter, restRoutes } from './rest-routes';
import { serveHealth } from './service-routes';
import { serveStripeWebhook } from './stripe-webhook';
import { trpcRoute } from './trpc-route';
import { appRouter } from '../routers/root';
import { collectProcessMetrics, watchDatabasePool } from '../metrics';
import { databaseConnections } from '../store/health';
import { memoryRateCounter, sharedRateCounter } from '../services/limits/rate-counter';
import { rateLeases } from '../services/limits/rate-leases';
import { shareForgetting } from '../services/auth/principal-cache';

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
    if (await admission.admit(req, res)) await serve(req, res, url);
    return true;
  };

/** The sign-in routes count against the caller's limit like the API, and a refused sign-in against its IP. */
const authRoutes =
  (deps: BillingDeps, admission: Admission): Route =>
  async (req, res, url) => {
    const serve = authRouteOf(deps, req, url, admission.checkCredential);
    if (!serve) return false;
    if (await admission.admit(req, res)) await serve(res);
    return true;
  };

/** Exact paths first, then prefixes in order: `/api/` takes what no exact `/api/…` path took. */
function routingTable(deps: BillingDeps): (path: string) => Route | undefined {
  const limit = deps.config.RATE_LIMIT_PER_MINUTE;
  const shared = deps.database.kind === 'postgres';
  // In the database, a client's requests are counted in leases of 1 % of the limit: one statement per lease
  // instead of one per request (docs/scaling.md). In memory a count costs nothing: one request at a time.
  const leases = shared
    ? rateLeases(sharedRateCounter(deps.database.db, deps.log), limit, Math.max(1, Math.floor(limit / 100)))
    : rateLeases(memoryRateCounter(), limit, 1);
  const admission = createAdmission(limit, clientAddressOf(deps.config.TRUST_PROXY), leases);
  const createContext = contextFactory(deps, admission.checkCredential);
  const docs = docsRoutes(() => deps.config.appUrl);
  const exact = new Map<string, Route>([
    ['/healthz', always((_req, res) => serveHealth(deps, res))],
    ['/metrics', always((req, res) => serveMetrics(deps, req, res))],
    ['/api/openapi.json', metered(admission, docs.openApi)],
    ['/api/docs', metered(admission, docs.docsPage)],
    [SCALAR_SCRIPT_PATH, metered(admission, docs.script)],
    ['/api/billing/webhook', always((req, res) => serveStripeWebhook(deps, req, res))],
  ]);
  const prefixes: [string, Route][] = [
    ['/trpc/', metered(admission, trpcRoute(deps, createContext))],
    ['/auth/', authRoutes(deps, admission)],
    ['/api/', metered(admission, createRestHandler(createContext, deps.log))],
  ];
  return (path) => exact.get(path) ?? prefixes.find(([prefix]) => path.startsWith(prefix))?.[1];
}

const EXACT_LABELS = new Set(['/healthz', '/metrics', '/api/openapi.json', '/api/docs', '/api/billing/webhook']);
const AUTH_PATHS = new Set(['/auth/sign-in', '/auth/session', '/auth/sign-out']);

/**
 * The route template a request is counted under: a documented path, a procedure, or a fixed name for the rest
 * (the SPA's files are all `static`), so that made-up paths cannot grow the metrics' series without bound.
 */
function routeLabeller(): (method: string, path: string) => string {
  const match = restRouter();
  const templateOf = new Map([...restRoutes()].map(([key, r]) => [r.procedure, key.slice(key.indexOf(' ') + 1)]));
  const procedures = new Set(Object.keys(appRouter._def.procedures));
  return (method, path) => {
    if (EXACT_LABELS.has(path) || AUTH_PATHS.has(path) || path === SCALAR_SCRIPT_PATH) return path;
    if (path.startsWith('/trpc/')) {
      const names = path.slice('/trpc/'.length).split(',');
      if (!names.every((n) => procedures.has(n))) return '/trpc (unknown)';
      return names.length === 1 ? path : '/trpc (batch)';
    }
    if (path.startsWith('/api/')) {
      const found = match(method, path);
      return (found.kind === 'route' && templateOf.get(found.route.procedure)) || '/api (unknown)';
    }
    if (path.startsWith('/auth/')) return '/auth (unknown)';
    return 'static';
  };
}

/** The database gauges of `/metrics` read this service's database. */
function watchPool(deps: BillingDeps): void {
  const { database } = deps;
  watchDatabasePool({
    size: database.sql?.options.max ?? 1,
    connections: () => (database.kind === 'postgres' ? databaseConnections(database.db) : Promise.resolve([])),
  });
}

/**
 * Everything the billing service answers: `/trpc`, the REST paths under `/api`, the sign-in routes,
 * `/healthz` and `/metrics`. Resolves to false for any other path, which the host app serves (the SPA). Every
 * request, the host app's included, gets an id, an access line and its metrics.
 */
export function createBillingHandler(deps: BillingDeps): BillingHandler {
  const routeOf = routingTable(deps);
  const labelOf = routeLabeller();
  collectProcessMetrics();
  watchPool(deps);
  // Revocations and removals reach the principal caches of every process on a shared database.
  shareForgetting(deps.database, deps.log).catch((err: unknown) => {
    deps.log.error('cannot listen for revoked credentials: other processes forget them only when their caches expire', {
      error: String(err),
    });
  });
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const label = labelOf(req.method ?? 'GET', url.pathname);
    return observeRequest(
      req,
      res,
      deps.log,
      () => label,
      async () => {
        try {
          const route = routeOf(url.pathname);
          return route ? await route(req, res, url) : false;
        } catch (err) {
          deps.log.error('request failed', { path: url.pathname, error: String(err) });
          if (!res.headersSent) sendError(res, 500, 'Internal server error');
          else res.destroy();
          return true;
        }
      },
    );
  };
}
