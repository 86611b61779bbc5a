import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import type { Context } from '../trpc';
import { BodyError, readJsonBody } from '../http/read-body';
import { sendError } from '../http/respond';
import { appRouter } from '../root';
import { contractErrorBody } from './error-body';

/** Serves the documented REST paths from the same tRPC procedures the dashboard calls. */
export function createRestHandler(createContext: (opts: { req: IncomingMessage }) => Promise<Context>) {
  const handle = createOpenApiNodeHttpHandler({
    router: appRouter,
    createContext,
  });
  return async (req: IncomingMessage, res: ServerResponse, notFound: () => void): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        (req as IncomingMessage & { body?: unknown }).body = await readJsonBody(req);
      } catch (err) {
        if (err instanceof BodyError) return sendError(res, err.status, err.message);
        throw err;
      }
      // The procedure sees the parsed body; the library only checks that the type says JSON.
      req.headers['content-type'] = 'application/json';
    }
    const end = res.end.bind(res);
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (res.statusCode >= 400 && typeof chunk === 'string') {
        return end(JSON.stringify(contractErrorBody(chunk)), ...(rest as []));
      }
      return end(chunk as string, ...(rest as []));
    }) as typeof res.end;
    await handle(req, res, notFound);
  };
}
