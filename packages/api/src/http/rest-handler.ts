import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { BodyError, parseJsonBody, readBody } from './read-body';
import { sendError, sendJson } from './respond';
import { appRouter } from '../routers/root';
import { type Context, createCallerFactory } from '../routers/trpc';
import { restError } from './rest-error';
import { restRoutes } from './rest-routes';

type Procedure = (input: unknown) => Promise<unknown>;

/**
 * Serves the documented REST paths from the same tRPC procedures the dashboard calls: same middlewares,
 * same zod input and output, same errors. The body (or the query string for GET) is the procedure's input.
 */
export function createRestHandler(createContext: (opts: { req: IncomingMessage }) => Promise<Context>, log: Logger) {
  const routes = restRoutes();
  const createCaller = createCallerFactory(appRouter);

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = routes.get(`${req.method} ${url.pathname}`);
    if (!route) return sendError(res, 404, `No such endpoint: ${req.method} ${url.pathname}`);
    let input: unknown;
    try {
      input = route.method === 'GET' ? Object.fromEntries(url.searchParams) : parseJsonBody(req, await readBody(req));
    } catch (err) {
      if (err instanceof BodyError) return sendError(res, err.status, err.message);
      throw err;
    }
    try {
      const caller = createCaller(await createContext({ req }));
      const call = route.procedure
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
      sendJson(res, 200, await (call as Procedure)(input));
    } catch (err) {
      const { status, body } = restError(err);
      if (status >= 500)
        log.error('REST call failed', { path: url.pathname, error: String((err as Error).cause ?? err) });
      sendJson(res, status, body);
    }
  };
}
