import { isDeepStrictEqual } from 'node:util';
import { isDomainError } from '@contox/core';
import { TRPCError } from '@trpc/server';
import { toTRPCError } from '../errors';
import { type Context, type Guard, guardOf } from '../routers/trpc';

/** A REST route's call: the procedure's access check, input check and resolver, with the context given. */
export type RestCall = (ctx: Context, input: unknown) => Promise<unknown>;

type Parse = (value: unknown) => Promise<unknown>;
type Resolver = (opts: Record<string, unknown>) => Promise<unknown>;

/** What tRPC's builder keeps of a procedure (`_def`), read at start-up; tRPC's types do not show all of it. */
interface BuiltProcedure {
  _def: {
    type: 'query' | 'mutation' | 'subscription';
    meta?: unknown;
    middlewares: { _type?: string }[];
    inputs: unknown[];
    output?: unknown;
    resolver?: Resolver;
  };
}

/** The parse function tRPC itself takes from a zod schema (`parseAsync`), so both paths check alike. */
function parserOf(schema: unknown, path: string): Parse {
  const parseAsync = (schema as { parseAsync?: unknown } | undefined)?.parseAsync;
  if (typeof parseAsync !== 'function') throw new Error(`${path}: its input or output is not a zod schema`);
  return parseAsync.bind(schema) as Parse;
}

/** As tRPC's input middleware answers a failed check: BAD_REQUEST with zod's issues as the cause. */
async function checked(parse: Parse | null, raw: unknown): Promise<unknown> {
  if (!parse) return undefined;
  try {
    return await parse(raw);
  } catch (cause) {
    throw new TRPCError({ code: 'BAD_REQUEST', cause });
  }
}

/** As tRPC's middleware chain answers a failure: domain errors mapped to their code, others as they are. */
function mapped(err: unknown): unknown {
  if (isDomainError(err)) return toTRPCError(err);
  return err;
}

/**
 * Outside production every answer is checked against the procedure's output schema, and must already be
 * exactly what the schema would give (no field it would drop): production skips the check, so what tests see
 * is what production sends.
 */
function outputCheck(schema: unknown, path: string): ((output: unknown) => Promise<void>) | null {
  if (schema === undefined || process.env.NODE_ENV === 'production') return null;
  const parse = parserOf(schema, path);
  return async (output) => {
    const parsed = await parse(output).catch((cause: unknown) => {
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Output validation failed', cause });
    });
    if (!isDeepStrictEqual(parsed, output)) {
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path}: answer holds more than its schema` });
    }
  };
}

/** Checks the procedure has the one shape our builders make: access check, input, output, resolver. */
function partsOf(procedure: BuiltProcedure, path: string): { guard: Guard; resolver: Resolver } {
  const { middlewares, inputs, output, resolver } = procedure._def;
  const guard = guardOf(middlewares[0]);
  const expected = ['guard', ...inputs.map(() => 'input'), ...(output === undefined ? [] : ['output']), 'resolve'];
  const actual = middlewares.map((m, i) =>
    i === 0 && guard ? 'guard' : i === middlewares.length - 1 ? 'resolve' : m._type,
  );
  if (!guard || !resolver || inputs.length > 1 || actual.join() !== expected.join()) {
    throw new Error(
      `${path}: not built from trpc.ts's procedures (${actual.join(', ')}); the REST path cannot call it`,
    );
  }
  return { guard, resolver };
}

/**
 * A procedure as the REST path calls it: the same access check, input schema and resolver as over tRPC, in
 * one function made at start-up, without tRPC's per-call caller, middleware chain and context copies (about a
 * tenth of a spend's server CPU: docs/performance.md). Throws at start-up for a procedure of any other shape.
 */
export function restCall(procedure: BuiltProcedure, path: string): RestCall {
  const { guard, resolver } = partsOf(procedure, path);
  const { type, meta, inputs, output } = procedure._def;
  const parse = inputs.length === 1 ? parserOf(inputs[0], path) : null;
  const checkOutput = outputCheck(output, path);
  return async (ctx, raw) => {
    try {
      guard(ctx, type);
      const input = await checked(parse, raw);
      const getRawInput = () => Promise.resolve(raw);
      const answer = await resolver({ ctx, input, type, path, meta, getRawInput, signal: undefined });
      if (checkOutput) await checkOutput(answer);
      return answer;
    } catch (err) {
      throw mapped(err);
    }
  };
}
