import fc from 'fast-check';
import { anyJson, hostileString, noise, Raw, rarely, toJsonText } from './hostile';
import { nearSchema } from './near-schema';
import type { Target } from './targets';

/** One HTTP request, as sent. */
export interface FuzzRequest {
  target: string;
  method: string;
  /** Path and query string. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface Callers {
  /** Valid keys of the attacker's accounts: the input gets past authentication and reaches the procedures. */
  attackerKeys: string[];
  /** Idempotency keys the innocent account uses: an attacker reusing them must not touch its spends. */
  innocentIdempotencyKeys: string[];
}

// Node answers 431 itself, before any of the service's code, to a request line and headers over 16 KiB.
const HEAD_BYTES = 15_500;

/**
 * Percent-encoding of the UTF-8 bytes, lone surrogates as U+FFFD (what a client's UTF-8 encoder sends), where
 * encodeURIComponent would throw. Clipped first: a URL longer than Node's header limit never reaches the service.
 */
function percentEncode(text: string): string {
  // fetch would escape the quote itself, and so lengthen the URL past what fitHead measured.
  const encoded = encodeURIComponent(text.slice(0, HEAD_BYTES).replace(/\p{Cs}/gu, '\ufffd'));
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// What fetch can put in a header value: visible ASCII, space, tab and Latin-1 (no NUL, CR or LF).
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);
const headerText = fc.string({ unit: headerChar, minLength: 1, maxLength: 40 }).map((s) => s.trim() || 'x');
const longHeader = fc
  .tuple(fc.constantFrom(201, 256, 3_000, 8_000), fc.option(fc.integer()))
  .map(([n, seed]) => (seed === null ? 'k'.repeat(n) : noise(n, seed)));

const cookie = fc.oneof(
  fc.constantFrom(
    'contox_session=%zz',
    'contox_session=%',
    'contox_session=%E0%A4%A',
    'contox_session=%00',
    'contox_session=',
    'contox_session="',
    'contox_session=a; contox_session=%zz',
    '%zz=%zz',
    ';;;=;',
    `contox_session=${'s'.repeat(3_000)}`,
  ),
  headerText.map((v) => `contox_session=${v}`),
  headerText,
);

function authorization(keys: string[]): fc.Arbitrary<string | undefined> {
  const key = fc.constantFrom(...keys);
  return fc.oneof(
    { arbitrary: key.map((k) => `Bearer ${k}`), weight: 40 },
    { arbitrary: fc.constant(undefined), weight: 2 },
    {
      arbitrary: fc.oneof(
        key.map((k) => `bearer  ${k}`),
        key.map((k) => `Bearer ${k}x`),
        fc.constantFrom('Bearer', 'Bearer contox_sk_', 'Basic Zm9vOmJhcg==', `Bearer contox_sk_${'x'.repeat(3_000)}`),
        headerText.map((t) => `Bearer ${t}`),
      ),
      weight: 2,
    },
  );
}

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 60 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      ';',
    ),
    weight: 2,
  },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

function headers(callers: Callers, hasBody: boolean): fc.Arbitrary<Record<string, string>> {
  const idempotencyKey = fc.oneof(longHeader, headerText, fc.constantFrom(...callers.innocentIdempotencyKeys));
  return fc
    .record({
      authorization: authorization(callers.attackerKeys),
      'content-type': hasBody ? contentType : fc.constant(undefined),
      cookie: rarely(cookie, 4),
      'idempotency-key': rarely(idempotencyKey, 3),
      'x-contox-csrf': rarely(fc.constant('1'), 2),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined)));
}

/** Bodies that are not JSON at all, bytes that are not UTF-8 included. */
const notJson = fc.oneof(
  fc.constantFrom('{', '{"a":1}}', "{'a':1}", '[1,]', 'undefined', '\u0000', '{"a":"\\ud800"', ''),
  fc
    .constantFrom([0xff, 0xfe, 0x7b, 0x7d], [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d])
    .map((b) => new Uint8Array(b)),
);

/** A query string whose values are fuzzed inputs, or one that is not even well-formed percent-encoding. */
function queryOf(input: unknown): fc.Arbitrary<string> {
  const fields = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : { q: input };
  const encoded = Object.entries(fields)
    .filter(([, v]) => typeof v !== 'symbol')
    .map(([k, v]) => {
      const text = typeof v === 'string' ? v : v instanceof Raw ? v.text : toJsonText(v);
      return `${percentEncode(k)}=${percentEncode(text)}`;
    })
    .join('&');
  return fc.oneof(
    { arbitrary: fc.constant(encoded), weight: 8 },
    { arbitrary: fc.constantFrom('%zz', 'limit=%', 'limit=1&limit=2', 'days=%ff%fe', '&&=&', 'cursor=%00'), weight: 1 },
  );
}

const otherMethod = (method: string) =>
  fc.constantFrom(...['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((m) => m !== method));

function restRequest(t: Target, callers: Callers): fc.Arbitrary<FuzzRequest> {
  const input = t.input ? nearSchema(t.input, t.base) : anyJson;
  // Off /api an unknown method falls through to the host app (the dashboard), which is not an API answer.
  const method = t.path.startsWith('/api/')
    ? fc.oneof({ arbitrary: fc.constant(t.method), weight: 24 }, otherMethod(t.method))
    : fc.constant(t.method);
  return fc.tuple(method, input, rarely(notJson, 20)).chain(([m, value, broken]) => {
    if (m === 'GET') {
      return fc.record({ query: queryOf(value), headers: headers(callers, false) }).map(({ query, headers }) => ({
        target: t.name,
        method: m,
        url: `${t.path}${query ? `?${query}` : ''}`,
        headers,
      }));
    }
    return headers(callers, true).map((h) => ({
      target: t.name,
      method: m,
      url: t.path,
      headers: h,
      body: broken ?? toJsonText(value),
    }));
  });
}

/** Queries by GET (`?input=`), mutations by POST, sometimes batched, sometimes with the other method. */
function trpcRequest(t: Target, callers: Callers): fc.Arbitrary<FuzzRequest> {
  const input = fc.option(t.input ? nearSchema(t.input, t.base) : anyJson, { freq: 8, nil: undefined });
  const method = fc.oneof(
    { arbitrary: fc.constant(t.method), weight: 16 },
    fc.constant(t.method === 'GET' ? 'POST' : 'GET'),
  );
  return fc.tuple(method, input, fc.boolean(), rarely(notJson, 20)).chain(([m, value, batch, broken]) => {
    const text = value === undefined ? undefined : toJsonText(value);
    const payload = batch ? `{"0":${text ?? '{}'},"1":${text ?? '{}'}}` : text;
    const path = batch ? `${t.path},${t.path.slice('/trpc/'.length)}?batch=1` : t.path;
    const query = payload === undefined ? '' : `${batch ? '&' : '?'}input=${percentEncode(payload)}`;
    return headers(callers, m !== 'GET').map((h) => ({
      target: t.name,
      method: m,
      url: m === 'GET' ? `${path}${query}` : path,
      headers: h,
      ...(m === 'GET' ? {} : { body: broken ?? payload ?? '' }),
    }));
  });
}

/** The URL clipped so that the request's head stays under Node's limit (a clip mid-escape is hostile too). */
function fitHead(req: FuzzRequest): FuzzRequest {
  const headers = Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  return { ...req, url: req.url.slice(0, Math.max(1_000, HEAD_BYTES - headers)) };
}

/** Any request to any target. */
export function fuzzRequests(targets: Target[], callers: Callers): fc.Arbitrary<FuzzRequest> {
  return fc
    .oneof(...targets.map((t) => (t.kind === 'trpc' ? trpcRequest(t, callers) : restRequest(t, callers))))
    .map(fitHead);
}

/** Paths no route serves, made of hostile text: the router must answer them, not throw. */
export function unknownPaths(callers: Callers): fc.Arbitrary<FuzzRequest> {
  const prefix = fc.constantFrom('/api/billing/', '/api/', '/trpc/', '/trpc/credits.');
  return fc
    .tuple(prefix, hostileString, fc.constantFrom('GET', 'POST'), headers(callers, false))
    .map(([start, rest, method, h]) => ({
      target: `unknown path ${start}…`,
      method,
      url: `${start}${percentEncode(rest.slice(0, 300))}`,
      headers: h,
    }))
    .map(fitHead);
}
