import fc from 'fast-check';

/**
 * JSON text that `JSON.stringify` cannot produce: number literals outside what a double holds exactly
 * (`1e400` parses to Infinity, `9007199254740993` to its neighbour), invalid literals (`NaN`) and nesting
 * deeper than any recursive walker expects. Placed anywhere inside a value, serialised verbatim.
 */
export class Raw {
  constructor(readonly text: string) {}
}

/** Left out of the object it would be a field of (a missing required field). */
export const ABSENT = Symbol('absent');

export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(([, v]) => v !== ABSENT);
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  // Well-formed JSON.stringify escapes lone surrogates (`"\ud800"`), so they reach the server's JSON.parse.
  return JSON.stringify(value) ?? 'null';
}

/** `arbitrary` once in `n` cases, undefined otherwise (fc.option's `freq` counts the other way round). */
export function rarely<T>(arbitrary: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: n - 1 }, { arbitrary, weight: 1 });
}

/**
 * Characters that break text columns, encoders, log lines, or comparisons that assume well-formed UTF-16.
 * NUL and lone surrogates come most often: Postgres text and UTF-8 cannot hold them at all.
 */
export const oddChar = fc.oneof(
  { arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff'), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '\u0001',
      '\u001b',
      '\u007f',
      '\u0085',
      '\udbff\u0041',
      '\ufeff',
      '\u202e',
      '\u2028',
      '\uffff',
      '\u0301',
      '😀',
      '%zz',
      '\\',
      '"',
      "'",
      '\n',
    ),
    weight: 2,
  },
);

const LONG_LENGTHS = [201, 256, 501, 2049, 3000, 10_000, 100_000] as const;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `n` letters and digits that do not repeat: Postgres compresses a run of one letter so well that a long one
 * still fits an index entry, where the same length of varied text does not.
 */
export function noise(n: number, seed: number): string {
  let state = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    out += ALPHANUMERIC[(state >>> 16) % ALPHANUMERIC.length]!;
  }
  return out;
}

/** Long text, varied or not, of one of the lengths just past a limit or far past it. */
const longText = fc
  .tuple(fc.constantFrom(...LONG_LENGTHS), fc.oneof(fc.constant('x'), oddChar, fc.integer()))
  .map(([n, c]) => (typeof c === 'number' ? noise(n, c) : c.repeat(Math.ceil(n / c.length)).slice(0, n)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  // Ordinary text with an odd character in it: it passes every check that looks only at the length.
  {
    arbitrary: fc
      .tuple(fc.string({ maxLength: 12 }), oddChar, fc.string({ maxLength: 12 }))
      .map(([a, c, b]) => `${a}${c}${b}`),
    weight: 4,
  },
  fc.string({ unit: fc.oneof(oddChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 24 }),
  longText,
  fc.constantFrom('', ' ', 'null', 'NaN', '__proto__', 'constructor', 'toString', '-1', '1e400', '0x10', "' or 1=1 --"),
  fc.string({ maxLength: 40 }),
);

const numberLiterals = [
  '0',
  '-0',
  '-1',
  '0.5',
  '1.0',
  '1E2',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '18446744073709551616',
  '123456789012345678901234567890',
  '1e21',
  '1e308',
  '1e400',
  '-1e400',
  '1e-400',
  '-9007199254740993',
  '2147483648',
  '4294967296',
] as const;

/** Exact, inexact, negative, fractional and non-finite numbers, and the literals JSON refuses. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...numberLiterals).map((t) => new Raw(t)),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '+1', '.5').map((t) => new Raw(t)),
  fc.constantFrom('NaN', 'Infinity', '1e400', '9007199254740993', '-1'),
);

/** Arrays or objects nested `depth` deep around one value. */
const deepNesting: fc.Arbitrary<Raw> = fc
  .tuple(fc.constantFrom(64, 1_000, 20_000), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? new Raw(`${'['.repeat(depth)}1${']'.repeat(depth)}`)
      : new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );

const scalar = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString);

/** Any JSON value, its strings and numbers hostile, sometimes nested absurdly deep. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
    deepNesting,
  ),
})).value;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
