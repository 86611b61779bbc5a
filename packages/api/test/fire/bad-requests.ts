import { PACK_IDS, PLAN_IDS } from '@contox/core';
import fc from 'fast-check';

/** The subset of JSON Schema that the OpenAPI document of this API uses. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: string[];
}

export interface Operation {
  method: string;
  path: string;
  params: { name: string; schema: JsonSchema }[];
  body: JsonSchema | null;
  /** Public operations answer without credentials, so a bad Authorization header is not bad input for them. */
  protect: boolean;
  /** Every method the path serves: another operation's method on the same path is not a wrong one. */
  served: string[];
}

export interface BadRequest {
  why: string;
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: (Operation['params'][number] & { in: string })[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
}

/** `isPublic` tells which operations answer without credentials (the document marks every one as secured). */
export function operationsOf(doc: OpenApi, isPublic: (method: string, path: string) => boolean): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      // Query parameters: a header's (Idempotency-Key) or a path's are not part of the query string.
      params: (op.parameters ?? []).filter((p) => p.in === 'query'),
      body: op.requestBody?.content['application/json']?.schema ?? null,
      protect: !isPublic(method.toUpperCase(), path),
      served: Object.keys(item).map((m) => m.toUpperCase()),
    })),
  );
}

const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

const jsonTypeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

/** Any JSON value whose type differs from the schema's (an integer is also a number, and vice versa). */
function wrongType(s: JsonSchema): fc.Arbitrary<unknown> {
  const wanted = s.type === 'integer' ? ['integer', 'number'] : [s.type ?? 'object'];
  return anyJson.filter((v) => !wanted.includes(jsonTypeOf(v)) && !(s.type === 'integer' && typeof v === 'number'));
}

/** Outside every numeric bound the schema sets, fractional, or too big for a JSON number to be exact. */
function badInteger(s: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    wrongType(s),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((d) => !Number.isInteger(d)),
    fc.constantFrom(2 ** 53, 1e21, 1e300, -(2 ** 53), '1', '1e3', 'NaN'),
  ];
  const low = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum : s.minimum !== undefined ? s.minimum - 1 : null;
  if (low !== null) options.push(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: low }));
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) {
    options.push(fc.integer({ min: s.maximum + 1, max: Number.MAX_SAFE_INTEGER }));
  }
  return fc.oneof(...options);
}

function badString(s: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [wrongType(s)];
  if (s.maxLength !== undefined) {
    options.push(fc.integer({ min: s.maxLength + 1, max: s.maxLength + 5000 }).map((n) => 'x'.repeat(n)));
  }
  if ((s.minLength ?? 0) > 0) options.push(fc.constant(''));
  if (s.enum) {
    const allowed = s.enum;
    options.push(fc.string({ maxLength: 12 }).filter((v) => !allowed.includes(v)));
  }
  return fc.oneof(...options);
}

/** A value that fails `s`, built from a valid `base` by breaking exactly one thing in it. */
export function broken(s: JsonSchema, base: unknown): fc.Arbitrary<{ where: string; value: unknown }> {
  const at = (where: string) => (value: unknown) => ({ where, value });
  if (s.anyOf) return brokenNullable(s.anyOf, base);
  switch (s.type) {
    case 'integer':
      return badInteger(s).map(at('value'));
    case 'string':
      return badString(s).map(at('value'));
    case 'boolean':
      return wrongType(s).map(at('value'));
    case 'array': {
      const items = Array.isArray(base) ? base : [];
      const options = [wrongType(s).map(at('not an array'))];
      if ((s.minItems ?? 0) > 0) options.push(fc.constant(at('empty array')([])));
      if (s.maxItems !== undefined) {
        const n = s.maxItems + 1;
        options.push(
          fc.constant(
            at(`${n} items`)(Array.from({ length: n }, (_, i) => ({ ...(items[0] as object), id: `x${i}` }))),
          ),
        );
      }
      if (s.items && items.length > 0) {
        options.push(
          fc.tuple(broken(s.items, items[0]), fc.nat(items.length)).map(([bad, i]) => ({
            where: `[${i}].${bad.where}`,
            value: [...items.slice(0, i), bad.value, ...items.slice(i)],
          })),
        );
      }
      return fc.oneof(...options);
    }
    default: {
      const fields = (base ?? {}) as Record<string, unknown>;
      const options = [wrongType(s).map(at('not an object'))];
      for (const key of s.required ?? []) {
        const { [key]: _, ...rest } = fields;
        options.push(fc.constant(at(`missing ${key}`)(rest)));
      }
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        options.push(
          broken(prop, fields[key]).map((bad) => ({
            where: `${key}.${bad.where}`,
            value: { ...fields, [key]: bad.value },
          })),
        );
      }
      return fc.oneof(...options);
    }
  }
}

/** A value that fails `T | null` (zod's nullable): broken for T, and not the null the other branch accepts. */
function brokenNullable(branches: JsonSchema[], base: unknown): fc.Arbitrary<{ where: string; value: unknown }> {
  const [value, ...others] = branches.filter((b) => b.type !== 'null');
  if (!value || others.length > 0 || branches.length !== 2) {
    throw new Error(`bad-requests: only T | null unions are understood, got ${JSON.stringify(branches)}`);
  }
  return broken(value, base).filter((bad) => bad.value !== null);
}

const notOurOrigin = fc
  .oneof(
    fc.webUrl(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('//evil.example/x', 'javascript:alert(1)', '/relative'),
  )
  .filter((u) => !(URL.canParse(u) && new URL(u).origin === 'http://localhost:3000'));
const unknownId = (known: readonly string[]) =>
  fc.string({ minLength: 1, maxLength: 64 }).filter((s) => !known.includes(s));

/**
 * Well-typed bodies the domain must still refuse (unknown plan or pack, seats outside the plan, a redirect
 * off this app, a spend no balance covers, a negative count), keyed by operation.
 */
export const refusedByTheDomain: Record<string, fc.Arbitrary<unknown>> = {
  'POST /api/billing/credits/purchase': unknownId(PACK_IDS).map((packId) => ({ packId })),
  'PUT /api/billing/credits/auto-recharge': fc.oneof(
    unknownId(PACK_IDS).map((packId) => ({ enabled: true, threshold: 1, packId, spendingLimit: 5000 })),
    fc
      .integer({ min: 0, max: 499 })
      .map((spendingLimit) => ({ enabled: true, threshold: 1, packId: 'credits_1m', spendingLimit })),
  ),
  'POST /api/billing/credits/spend': fc
    .integer({ min: 10 ** 12, max: Number.MAX_SAFE_INTEGER })
    .map((amount) => ({ amount, description: 'fuzz', idempotencyKey: `fuzz-${amount}` })),
  'POST /api/billing/checkout': fc.oneof(
    unknownId(PLAN_IDS).map((planId) => ({ planId })),
    fc.constant({ planId: 'free' }),
    fc.integer({ min: 101, max: 100_000 }).map((seats) => ({ planId: 'team', seats })),
    fc.constantFrom({ planId: 'team', seats: 1 }, { planId: 'personal', seats: 2 }, { planId: 'enterprise', seats: 9 }),
    notOurOrigin.map((successUrl) => ({ planId: 'personal', successUrl })),
    notOurOrigin.map((cancelUrl) => ({ planId: 'personal', cancelUrl })),
  ),
  'POST /api/billing/portal': notOurOrigin.map((returnUrl) => ({ returnUrl })),
  'POST /api/billing/usage/events': fc
    .tuple(fc.constantFrom('sessions', 'events', 'enrichments'), fc.integer({ min: -(10 ** 15), max: 0 }))
    .map(([metric, quantity]) => ({ events: [{ id: 'fuzz-negative', metric, quantity }] })),
};

const malformedJson = fc.oneof(
  fc.constantFrom('{', '{"packId":', "{'a':1}", 'undefined', 'NaN', '{"a":1}}', '[1,]', '{"amount":1e400', '\u0000'),
  fc.string({ minLength: 1, maxLength: 50 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return s.trim().length > 0;
    }
  }),
);

const badAuthorization = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Bearer sk_test_123',
    `Bearer contox_sk_${'x'.repeat(5000)}`,
  ),
  fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Bearer contox_sk_${s.replace(/\s/g, '_')}`),
);

/** Everything wrong with a request to `op` that is not the content of the body. */
export function badEnvelope(op: Operation, validBody: unknown): fc.Arbitrary<BadRequest> {
  const base = { method: op.method, path: op.path };
  const json = JSON.stringify(validBody ?? {});
  // Outside /api an unknown method falls through to the dashboard, which is not an API answer.
  const options: fc.Arbitrary<BadRequest>[] = op.path.startsWith('/api/')
    ? [
        fc
          .constantFrom(...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !op.served.includes(m)))
          .map((method) => ({ why: `method ${method}`, method, path: op.path })),
      ]
    : [];
  if (op.protect) {
    options.push(
      badAuthorization.map((authorization) => ({
        ...base,
        why: 'bad credentials',
        headers: { authorization },
        body: op.body ? json : undefined,
      })),
    );
  }
  if (op.body) {
    options.push(
      malformedJson.map((body) => ({ ...base, why: 'malformed JSON', body })),
      fc
        .constantFrom('[]', '5', '"x"', 'null', 'true')
        .map((body) => ({ ...base, why: `not an object: ${body}`, body })),
      fc
        .constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
        )
        .map((type) => ({ ...base, why: `content-type ${type}`, body: json, headers: { 'content-type': type } })),
    );
  }
  for (const p of op.params) {
    // Query values arrive as text and integer parameters are read as JS numbers (" 5" and "0x5" included).
    const valid = (v: string) =>
      p.schema.type === 'integer'
        ? Number.isInteger(Number(v)) &&
          Number(v) >= (p.schema.minimum ?? 0) &&
          Number(v) <= (p.schema.maximum ?? Infinity)
        : v.length <= (p.schema.maxLength ?? Infinity) && /^\d{1,15}$/.test(v);
    options.push(
      fc
        .oneof(
          fc.string({ maxLength: 40 }),
          fc.integer({ min: -(10 ** 9), max: 10 ** 9 }).map(String),
          fc.double({ noNaN: true }).map(String),
          fc.constant('9'.repeat(40)),
        )
        .filter((v) => !valid(v))
        .map((v) => ({ ...base, why: `query ${p.name}=${v}`, query: `${p.name}=${encodeURIComponent(v)}` })),
    );
  }
  return fc.oneof(...options);
}
