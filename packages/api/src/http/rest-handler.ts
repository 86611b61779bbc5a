import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { BodyError, parseJsonBody, readBody } from './read-body';
import { sendError, sendJson } from './respond';
import type { Context } from '../routers/trpc';
import { restError } from './rest-error';
import { type RestRoute, restRouter } from './rest-routes';

/** Seconds a client is asked to wait when Stripe limits us or is down (the SDK has already retried). */
export const STRIPE_RETRY_AFTER_SECONDS = 2;

/** The procedure's input: the query string for GET, else the JSON body; path parameters join either. */
async function inputOf(req: IncomingMessage, url: URL, route: RestRoute, params: Record<string, string>) {
  const input = route.method === 'GET' ? Object.fromEntries(url.searchParams) : parseJsonBody(req, await readBody(req));
  if (Object.keys(params).length === 0) return input;
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, ...params } : input;
}

/**
 * Serves the documented REST paths from the same tRPC procedures the dashboard calls: same access checks,
 * same zod input, same resolver, same errors (`restCall`). The body (or the query string for GET) is the
 * procedure's input.
 */
export function createRestHandler(createContext: (opts: { req: IncomingMessage }) => Promise<Context>, log: Logger) {
  const match = restRouter();

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const found = match(method, url.pathname);
    if (found.kind === 'not_found') return sendError(res, 404, `No such endpoint: ${method} ${url.pathname}`);
    if (found.kind === 'method_not_allowed') {
      res.setHeader('Allow', found.allow.join(', '));
      return sendError(
        res,
        405,
        `Method ${method} not allowed on ${url.pathname} (allowed: ${found.allow.join(', ')})`,
      );
    }
    let input: unknown;
    try {
      input = await inputOf(req, url, found.route, found.params);
    } catch (err) {
      if (err instanceof BodyError) return sendError(res, err.status, err.message);
      throw err;
    }
    try {
      const context = await createContext({ req });
      const output = await found.route.call(context, input);
      sendJson(res, context.reply.status, output);
    } catch (err) {
      const { status, body } = restError(err);
      if (status >= 500)
        log.error('REST call failed', { path: url.pathname, error: String((err as Error).cause ?? err) });
      if (body.code === 'rate_limited' || body.code === 'stripe_unavailable') {
        res.setHeader('Retry-After', STRIPE_RETRY_AFTER_SECONDS);
      }
      sendJson(res, status, body);
    }
  };
}
