import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { BillingDeps } from '../deps';
import { appRouter } from '../routers/root';
import type { Context } from '../routers/trpc';
import { MAX_BODY_BYTES } from './read-body';

/** `/trpc/<procedure>`, the dashboard's calls; the adapter reads the body itself, within our limit. */
export function trpcRoute(deps: BillingDeps, createContext: (opts: { req: IncomingMessage }) => Promise<Context>) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    await nodeHTTPRequestHandler({
      router: appRouter,
      createContext,
      req,
      res,
      path: url.pathname.slice('/trpc/'.length),
      maxBodySize: MAX_BODY_BYTES,
      onError: ({ error }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') deps.log.error('trpc failure', { error: String(error.cause) });
      },
    });
  };
}
