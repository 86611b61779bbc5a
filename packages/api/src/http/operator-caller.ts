import { TRPCError } from '@trpc/server';
import { ALL_SCOPES } from '../services/auth/keys';
import type { BillingDeps } from '../deps';
import { appRouter } from '../routers/root';
import { type Context, createCallerFactory } from '../routers/trpc';
import { type ErrorBody, restError } from './rest-error';

const createCaller = createCallerFactory(appRouter);

function context(deps: BillingDeps, principal: Context['principal']): Context {
  return {
    deps,
    principal,
    authError: null,
    csrfHeader: true,
    idempotencyKey: null,
    operator: principal ? 'refused' : 'granted',
    reply: { status: 200 },
  };
}

/**
 * The operator's own way in, for the `billing` command line: the same procedures as the operator API (same
 * validation, rules and answers), called in-process. `admin` is the operator API; `asOwner(accountId)` acts for
 * an account's owner on the account API (keys, members), as the owner's dashboard would.
 */
export function operatorCaller(deps: BillingDeps) {
  const admin = createCaller(context(deps, null)).admin;
  return {
    admin,
    async asOwner(accountId: string) {
      const account = await admin.accounts.get({ accountId });
      // Not a key of the account's: no CSRF header to ask for, and every scope the owner could give a key.
      const principal = {
        accountId,
        memberId: account.owner.id,
        role: 'owner' as const,
        scopes: ALL_SCOPES,
        via: 'api_key' as const,
        apiKeyId: null,
      };
      return createCaller(context(deps, principal));
    },
  };
}

/**
 * A refusal of an operator call as the operator API would answer it (`{ error, code }`); null for a failure
 * (the database unreachable, a bug), which the caller reports as it is: the operator needs its real cause.
 */
export function operatorRefusal(err: unknown): ErrorBody | null {
  if (!(err instanceof TRPCError) || err.code === 'INTERNAL_SERVER_ERROR') return null;
  return restError(err).body;
}
