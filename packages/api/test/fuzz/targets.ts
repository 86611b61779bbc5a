import type { AnyProcedure } from '@trpc/server';
import { appRouter } from '../../src/routers/root';
import type { JsonSchema } from '../fire/bad-requests';
import { VALID } from '../fire/valid-requests';

/** One thing a caller can send input to. */
export interface Target {
  /** `REST POST /api/billing/credits/spend`, `tRPC mutation credits.spend`, `auth POST /auth/sign-out`. */
  name: string;
  kind: 'rest' | 'trpc' | 'auth';
  method: string;
  /** The URL path (for tRPC, `/trpc/<procedure>`). */
  path: string;
  /** Shape of the input (the JSON body, or the query for a GET); null when nothing says: any JSON. */
  input: JsonSchema | null;
  /** A known valid input, so that most fuzzed inputs differ from a valid one in a few places only. */
  base: unknown;
}

interface OpenApiOperation {
  parameters?: { name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** A GET's query parameters as the one object the procedure receives. */
function inputOf(op: OpenApiOperation | undefined): JsonSchema | null {
  if (!op) return null;
  const body = op.requestBody?.content['application/json']?.schema;
  if (body) return body;
  return { type: 'object', properties: Object.fromEntries((op.parameters ?? []).map((p) => [p.name, p.schema])) };
}

const baseOf = (method: string, path: string): unknown => VALID[`${method} ${path}`] ?? undefined;

/** Every operation of the served OpenAPI document: a path added to the API is fuzzed without a change here. */
export function restTargets(doc: OpenApiDocument): Target[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([m, op]) => {
      const method = m.toUpperCase();
      return {
        name: `REST ${method} ${path}`,
        kind: 'rest',
        method,
        path,
        input: inputOf(op),
        base: baseOf(method, path),
      };
    }),
  );
}

/** How many subjects a run fuzzs in turn (every procedure twice: as REST and as tRPC), known before it starts. */
export function subjectCount(): number {
  return 2 * Object.keys(appRouter._def.procedures).length + 5;
}

/** Every procedure of the router, queries and mutations, with the schema of its REST twin when it has one. */
export function trpcTargets(doc: OpenApiDocument): Target[] {
  // Flat at run time (`credits.spend`), whatever its declared type says.
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procedures).map(([name, procedure]) => {
    const { type, meta } = procedure._def as { type: string; meta?: { openapi?: { method: string; path: string } } };
    const rest = meta?.openapi;
    const op = rest ? doc.paths[rest.path]?.[rest.method.toLowerCase()] : undefined;
    return {
      name: `tRPC ${type} ${name}`,
      kind: 'trpc',
      method: type === 'query' ? 'GET' : 'POST',
      path: `/trpc/${name}`,
      input: inputOf(op),
      base: rest ? baseOf(rest.method, rest.path) : undefined,
    };
  });
}

/** The routes that set the dashboard's cookie: not in the document (they are not API calls), fuzzed all the same. */
export function authTargets(attackerKey: string): Target[] {
  const apiKey: JsonSchema = { type: 'object', properties: { apiKey: { type: 'string' } }, required: ['apiKey'] };
  const token: JsonSchema = { type: 'object', properties: { token: { type: 'string' } } };
  return [
    {
      name: 'auth POST /auth/session',
      kind: 'auth',
      method: 'POST',
      path: '/auth/session',
      input: apiKey,
      base: { apiKey: attackerKey },
    },
    {
      name: 'auth POST /auth/sign-out',
      kind: 'auth',
      method: 'POST',
      path: '/auth/sign-out',
      input: { type: 'object' },
      base: {},
    },
    {
      name: 'auth GET /auth/sign-in',
      kind: 'auth',
      method: 'GET',
      path: '/auth/sign-in',
      input: token,
      base: undefined,
    },
  ];
}
