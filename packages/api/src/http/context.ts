import type { IncomingMessage } from 'node:http';
import { resolvePrincipal } from '../auth/principal';
import type { BillingDeps } from '../deps';
import type { Context } from '../trpc';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function contextFactory(deps: BillingDeps) {
  return async ({ req }: { req: IncomingMessage }): Promise<Context> => {
    const resolution = await resolvePrincipal(
      deps.database.db,
      { authorization: header(req, 'authorization'), cookie: header(req, 'cookie') },
      deps.now(),
    );
    return {
      deps,
      principal: resolution.principal,
      authError: resolution.principal ? null : resolution.error,
      csrfHeader: header(req, 'x-contox-csrf') !== undefined,
      idempotencyKey: header(req, 'idempotency-key') ?? null,
    };
  };
}
