import type { IncomingMessage } from 'node:http';
import { createPrincipalCache } from '../services/auth/principal-cache';
import { resolvePrincipal } from '../services/auth/principal';
import type { BillingDeps } from '../deps';
import type { Context } from '../routers/trpc';
import { currentRequest } from '../logger';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `onRefused` hears of every request whose credentials were refused, so they can be limited per IP. */
export function contextFactory(deps: BillingDeps, onRefused: (req: IncomingMessage) => void = () => {}) {
  const cached = createPrincipalCache();
  return async ({ req }: { req: IncomingMessage }): Promise<Context> => {
    const headers = { authorization: header(req, 'authorization'), cookie: header(req, 'cookie') };
    const credential = headers.authorization ?? headers.cookie;
    const resolve = () => resolvePrincipal(deps.database.db, headers, deps.now());
    // Only API keys are cached (the hot path); a session is looked up every time, so signing out or its
    // expiry ends it at once.
    const resolution = !credential
      ? { principal: null, error: null }
      : headers.authorization
        ? await cached(credential, resolve)
        : await resolve();
    if (credential && !resolution.principal) onRefused(req);
    const request = currentRequest();
    if (request && resolution.principal) request.accountId = resolution.principal.accountId;
    return {
      deps,
      principal: resolution.principal,
      authError: resolution.principal ? null : resolution.error,
      csrfHeader: header(req, 'x-contox-csrf') !== undefined,
      idempotencyKey: header(req, 'idempotency-key') ?? null,
    };
  };
}
