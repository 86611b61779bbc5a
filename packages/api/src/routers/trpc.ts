import { DomainError, isDomainError } from '@contox/core';
import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { Scope } from '../services/auth/keys';
import type { Principal } from '../services/auth/principal';
import type { BillingDeps } from '../deps';
import { errorCodeOf, toTRPCError } from '../errors';
import { invalidInputMessage } from './invalid-input';

export interface Context {
  deps: BillingDeps;
  principal: Principal | null;
  /** Why the presented credentials were refused, when they were. */
  authError: string | null;
  /** Cookie-authenticated mutations must carry the custom header a cross-site form cannot send. */
  csrfHeader: boolean;
  idempotencyKey: string | null;
  /** The operator API: not configured, or whether this request presented BILLING_ADMIN_TOKEN. */
  operator: 'disabled' | 'refused' | 'granted';
  /** The REST answer's status, for a procedure that creates something (201); tRPC answers ignore it. */
  reply: { status: number };
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const domain = isDomainError(error.cause) ? error.cause : null;
      return {
        ...shape,
        // Internal failures keep their details in the log, not in the answer.
        message:
          error.code === 'INTERNAL_SERVER_ERROR'
            ? 'Internal server error'
            : (invalidInputMessage(error) ?? shape.message),
        // `errorCode` is the REST body's `code` (tRPC's own `data.code` is its transport code).
        data: {
          ...shape.data,
          stack: undefined,
          errorCode: errorCodeOf(error),
          domainCode: domain?.code ?? null,
          details: domain?.details ?? null,
        },
      };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors thrown by a procedure become tRPC errors with the status the API documents for them. */
function mapDomainError<R extends { ok: boolean; error?: { cause?: unknown } }>(result: R): R {
  if (!result.ok) {
    const mapped = toTRPCError(result.error?.cause);
    if (mapped) throw mapped;
  }
  return result;
}

type ProcedureKind = 'query' | 'mutation' | 'subscription';

/**
 * A procedure's access check as a plain function: its tRPC middleware calls it, and so does the REST path
 * (`http/rest-call.ts`), which calls the procedure's resolver directly and runs no middleware.
 */
export type Guard = (ctx: Context, type: ProcedureKind) => void;

const guards = new WeakMap<object, Guard>();

/** The access check a procedure's first middleware runs, when that middleware is one of these. */
export const guardOf = (middleware: unknown): Guard | undefined =>
  typeof middleware === 'function' ? guards.get(middleware) : undefined;

function registered<B extends { _middlewares: object[] }>(builder: B, guard: Guard): B {
  guards.set(builder._middlewares[0]!, guard);
  return builder;
}

/** Refuses access with the domain error's mapped tRPC error (the middleware itself is outside any mapping). */
function deny(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string): never {
  throw toTRPCError(new DomainError(code, message))!;
}

const open = registered(
  t.middleware(async ({ next }) => mapDomainError(await next())),
  () => {},
);

export const publicProcedure = t.procedure.use(open);

type Role = Principal['role'];

/**
 * Who is calling, the CSRF header for cookie-authenticated changes, the key's scope and, for changes, the
 * roles allowed to make them; the caller, when all of them pass.
 */
function checkAccess(scope: Scope, roles: { allowed: readonly Role[]; refusal: string } | null) {
  return (ctx: Context, type: ProcedureKind): Principal => {
    const principal = ctx.principal;
    if (!principal) {
      return deny(
        'UNAUTHENTICATED',
        ctx.authError ?? 'Authentication required: send "Authorization: Bearer contox_sk_…" or sign in',
      );
    }
    if (type === 'mutation' && principal.via === 'session' && !ctx.csrfHeader) {
      deny('FORBIDDEN', 'Missing X-Contox-CSRF header on a cookie-authenticated change');
    }
    if (!principal.scopes.includes(scope)) {
      deny(
        'FORBIDDEN',
        principal.via === 'session'
          ? `This session, started with an API key, lacks the "${scope}" scope`
          : `This API key lacks the "${scope}" scope`,
      );
    }
    if (roles && !roles.allowed.includes(principal.role)) {
      deny('FORBIDDEN', `${roles.refusal} (you are ${principal.role})`);
    }
    return principal;
  };
}

/** One middleware per kind of access (each `use` adds a context merge on every tRPC call). */
function access(scope: Scope, roles: { allowed: readonly Role[]; refusal: string } | null) {
  const check = checkAccess(scope, roles);
  // Errors of this check and of the procedure are mapped here too: one middleware, not two.
  const middleware = t.middleware(async ({ ctx, type, next }) => {
    const principal = check(ctx, type);
    return mapDomainError(await next({ ctx: { ...ctx, principal } }));
  });
  return t.procedure.use(registered(middleware, check));
}

/** Reading billing state: any member of the account. */
export const readProcedure = access('read', null);
/** Recording usage and spending tokens: keys with the usage scope. */
export const usageProcedure = access('usage', null);
/** Changing billing: only the account's owner. */
export const ownerProcedure = access('billing', {
  allowed: ['owner'],
  refusal: 'Only the account owner may change billing',
});
/** Managing the account's members and API keys: its owner or an admin, with the billing scope. */
export const ownerOrAdminProcedure = access('billing', {
  allowed: ['owner', 'admin'],
  refusal: 'Only the owner or an admin may manage members and API keys',
});

/** Account settings an admin may change too (low-credit alerts): the owner or an admin, with the billing scope. */
export const ownerOrAdminSettingsProcedure = access('billing', {
  allowed: ['owner', 'admin'],
  refusal: 'Only the owner or an admin may change this setting',
});

/**
 * The operator API (`/api/admin/*`): only with BILLING_ADMIN_TOKEN configured, else it is not there at all (404),
 * and only for a caller presenting that token.
 */
function checkOperator(ctx: Context): void {
  if (ctx.operator === 'disabled') {
    throw toTRPCError(new DomainError('NOT_FOUND', 'No such endpoint: the operator API is not enabled'))!;
  }
  if (ctx.operator !== 'granted') {
    deny('UNAUTHENTICATED', 'Operator API: send "Authorization: Bearer <BILLING_ADMIN_TOKEN>"');
  }
}

export const adminApiProcedure = t.procedure.use(
  registered(
    t.middleware(async ({ ctx, next }) => {
      checkOperator(ctx);
      return mapDomainError(await next());
    }),
    checkOperator,
  ),
);
