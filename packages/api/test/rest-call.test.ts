import { DomainError } from '@contox/core';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { restCall } from '../src/http/rest-call';
import { restRoutes } from '../src/http/rest-routes';
import type { Context } from '../src/routers/trpc';
import { publicProcedure, usageProcedure } from '../src/routers/trpc';

// The REST path calls a procedure's access check, input schema and resolver itself (no tRPC middleware chain):
// these are the rules that keep it answering as tRPC does.
type Built = Parameters<typeof restCall>[0];
const built = (p: unknown) => p as Built;

const keyContext = (scopes: string[]): Context =>
  ({
    deps: {},
    principal: { accountId: 'acc_1', role: 'owner', via: 'key', scopes },
    authError: null,
    csrfHeader: false,
    idempotencyKey: null,
    operator: 'disabled',
    reply: { status: 200 },
  }) as unknown as Context;

const echo = usageProcedure
  .input(z.object({ n: z.number().int() }))
  .output(z.object({ n: z.number() }))
  .mutation(({ input }) => ({ n: input.n }));

async function failure(call: Promise<unknown>): Promise<TRPCError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

describe('restCall', () => {
  it('every documented REST path has a call made at start-up', () => {
    const routes = [...restRoutes().values()];
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) expect(typeof r.call).toBe('function');
  });

  it('runs the access check, the input schema and the resolver', async () => {
    const call = restCall(built(echo), 'test.echo');
    await expect(call(keyContext(['usage']), { n: 3 })).resolves.toEqual({ n: 3 });
    const scope = await failure(call(keyContext(['read']), { n: 3 }));
    expect([scope.code, scope.message]).toEqual(['FORBIDDEN', 'This API key lacks the "usage" scope']);
    const input = await failure(call(keyContext(['usage']), { n: 1.5 }));
    expect(input.code).toBe('BAD_REQUEST');
    expect((input.cause as { issues?: unknown[] }).issues?.length).toBe(1);
  });

  it('maps a domain error the resolver throws to its transport code, as the middleware does', async () => {
    const refusing = publicProcedure.query(() => {
      throw new DomainError('INSUFFICIENT_CREDITS', 'not enough');
    });
    const err = await failure(restCall(built(refusing), 'test.refusing')(keyContext([]), undefined));
    expect([err.code, err.message]).toEqual(['PAYMENT_REQUIRED', 'not enough']);
  });

  it('outside production, refuses an answer holding a field its schema would drop', async () => {
    const leaky = publicProcedure.output(z.object({ a: z.number() })).query(() => ({ a: 1, secret: 'x' }));
    const err = await failure(restCall(built(leaky), 'test.leaky')(keyContext([]), undefined));
    expect(err.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('refuses at start-up a procedure with middleware it would not run', () => {
    const extra = usageProcedure.use(async ({ next }) => next()).query(() => 1);
    expect(() => restCall(built(extra), 'test.extra')).toThrow(/not built from trpc.ts's procedures/);
  });
});
