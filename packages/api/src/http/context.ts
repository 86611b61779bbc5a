import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '@contox/core';
import { toTRPCError } from '../errors';
import type { Admission } from './admission';
import { principalCacheFor } from '../services/auth/principal-cache';
import { resolvePrincipal } from '../services/auth/principal';
import type { BillingDeps } from '../deps';
import type { Context } from '../routers/trpc';
import { currentRequest } from '../logger';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function operatorContext(deps: BillingDeps, req: IncomingMessage): Context {
  return {
    deps,
    principal: null,
    authError: null,
    csrfHeader: header(req, 'x-contox-csrf') !== undefined,
    idempotencyKey: header(req, 'idempotency-key') ?? null,
    operator: 'granted',
    reply: { status: 200 },
  };
}

/**
 * Whether a request presents BILLING_ADMIN_TOKEN. Both sides are hashed to one length and compared in constant
 * time, so the answer's timing tells nothing about how much of a guess was right.
 */
function operatorCheck(token: string | undefined) {
  if (!token) return (): Context['operator'] => 'disabled';
  const expected = createHash('sha256').update(token).digest();
  return (authorization: string | undefined): Context['operator'] => {
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!presented) return 'refused';
    const actual = createHash('sha256').update(presented).digest();
    return timingSafeEqual(actual, expected) ? 'granted' : 'refused';
  };
}

/**
 * The caller of each request. Every lookup of a credential runs through `checkCredential`, which counts
 * refusals against the IP and refuses (429) once they and the lookups under way reach the limit.
 */
export function contextFactory(deps: BillingDeps, checkCredential: Admission['checkCredential']) {
  const cached = principalCacheFor(deps.database.db);
  const operatorOf = operatorCheck(deps.config.BILLING_ADMIN_TOKEN);
  return async ({ req }: { req: IncomingMessage }): Promise<Context> => {
    const headers = { authorization: header(req, 'authorization'), cookie: header(req, 'cookie') };
    const operator = operatorOf(headers.authorization);
    // The operator's token is no account's credential: nothing to look up, nothing refused.
    if (operator === 'granted') return operatorContext(deps, req);
    const credential = headers.authorization ?? headers.cookie;
    const resolve = async () => {
      const checked = await checkCredential(
        req,
        () => resolvePrincipal(deps.database.db, headers, deps.now()),
        (r) => !r.principal,
      );
      if (checked.over) throw toTRPCError(new DomainError('RATE_LIMITED', checked.message))!;
      return checked.result;
    };
    // Only API keys are cached (the hot path); a session is looked up every time, so signing out or its
    // expiry ends it at once.
    const resolution = !credential
      ? { principal: null, error: null }
      : headers.authorization
        ? await cached(credential, resolve)
        : await resolve();
    const request = currentRequest();
    if (request && resolution.principal) request.accountId = resolution.principal.accountId;
    return {
      deps,
      principal: resolution.principal,
      authError: resolution.principal ? null : resolution.error,
      csrfHeader: header(req, 'x-contox-csrf') !== undefined,
      idempotencyKey: header(req, 'idempotency-key') ?? null,
      operator,
      reply: { status: 200 },
    };
  };
}
