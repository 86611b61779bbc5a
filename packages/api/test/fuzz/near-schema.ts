import fc from 'fast-check';
import type { JsonSchema } from '../fire/bad-requests';
import { ABSENT, anyJson, hostileNumber, hostileString, isObject, oddChar, rarely } from './hostile';

type Path = (string | number)[];

const lowest = (s: JsonSchema) => (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? 0));

/**
 * A value the schema accepts, near `base` (a known valid one) when given: its strings sometimes fresh, so
 * that not every call replays the last one's ids and keys.
 */
function plausible(s: JsonSchema, base?: unknown): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const fresh = freshValue(s, base);
  if (base === undefined || base === null) return fresh;
  return s.type === 'string' ? fc.oneof({ arbitrary: fc.constant(base), weight: 2 }, fresh) : fresh;
}

function freshValue(s: JsonSchema, base: unknown): fc.Arbitrary<unknown> {
  switch (s.type) {
    case 'integer': {
      if (typeof base === 'number') return fc.constant(base);
      const min = lowest(s);
      return fc.integer({ min, max: Math.min(s.maximum ?? 1_000_000, min + 1_000_000) });
    }
    case 'string':
      return fc.string({ minLength: Math.max(s.minLength ?? 0, 1), maxLength: Math.min(s.maxLength ?? 40, 40) });
    case 'boolean':
      return typeof base === 'boolean' ? fc.constant(base) : fc.boolean();
    case 'array': {
      const items = Array.isArray(base) ? base : [];
      const item = s.items ? plausible(s.items, items[0]) : fc.constant(null);
      return fc.array(item, { minLength: Math.max(s.minItems ?? 0, 1), maxLength: 4 });
    }
    default: {
      const fields = isObject(base) ? base : {};
      const keys = Object.keys(s.properties ?? {});
      const required = keys.filter((k) => (s.required ?? []).includes(k) || k in fields);
      const record = Object.fromEntries(keys.map((k) => [k, plausible(s.properties![k]!, fields[k])]));
      return fc.record(record, { requiredKeys: required });
    }
  }
}

/** A short text with a NUL, a lone surrogate or another odd character in it: only the length is in bounds. */
const oddText = fc
  .tuple(fc.string({ maxLength: 12 }), oddChar, fc.string({ maxLength: 12 }))
  .map(([a, c, b]) => `${a}${c}${b}`);

/**
 * What one leaf of a plausible value becomes. Mostly hostile within the schema's bounds, so the first check
 * lets it through to the services, the store and Stripe: odd text short enough, the extreme integers allowed.
 * Otherwise out of bounds (100,000 characters, 1e400), another type, or missing.
 */
function hostileLeaf(s: JsonSchema, current: unknown): fc.Arbitrary<unknown> {
  const missing = fc.constant(ABSENT);
  if (s.type === 'string' && !s.enum) {
    const [min, max] = [s.minLength ?? 0, s.maxLength ?? Number.MAX_SAFE_INTEGER];
    const inBounds = fc
      .oneof(oddText, hostileString)
      .map((t) => t.slice(0, max))
      .filter((t) => t.length >= min);
    return fc.oneof({ arbitrary: inBounds, weight: 8 }, hostileString, anyJson, missing);
  }
  if (s.type === 'integer') {
    const [min, max] = [lowest(s), s.maximum ?? Number.MAX_SAFE_INTEGER];
    const extremes = fc.oneof(fc.constantFrom(min, min + 1, max - 1, max), fc.integer({ min, max }));
    return fc.oneof({ arbitrary: extremes, weight: 6 }, { arbitrary: hostileNumber, weight: 3 }, anyJson, missing);
  }
  if (s.type === 'array') {
    const items = Array.isArray(current) ? current : [];
    // Past the item limit with distinct plausible items: hostile items by the thousand would only hit 413.
    const overLimit = fc
      .constantFrom((s.maxItems ?? 1_000) + 1, 5_000)
      .map((n) => Array.from({ length: n }, (_, i) => (isObject(items[0]) ? { ...items[0], id: `many-${i}` } : i)));
    return fc.oneof({ arbitrary: overLimit, weight: 2 }, fc.constant([]), anyJson, missing);
  }
  return fc.oneof({ arbitrary: hostileString, weight: 2 }, anyJson, missing);
}

/** Every place of `value` a hostile leaf can go, with the schema it has there: fields (present or not), items. */
function leavesOf(s: JsonSchema, value: unknown, path: Path = []): { path: Path; schema: JsonSchema }[] {
  if (s.type === 'object' && isObject(value)) {
    const own = Object.entries(s.properties ?? {}).flatMap(([k, p]) => leavesOf(p, value[k], [...path, k]));
    return path.length === 0 ? own : [{ path, schema: s }, ...own];
  }
  if (s.type === 'array' && Array.isArray(value) && s.items) {
    const items = s.items;
    return [{ path, schema: s }, ...value.flatMap((item, i) => leavesOf(items, item, [...path, i]))];
  }
  return [{ path, schema: s }];
}

const at = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, k) => (isObject(v) ? (v as Record<string | number, unknown>)[k] : undefined), value);

function replaced(value: unknown, path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [k, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[k!] = replaced(copy[k!], rest, leaf);
  return copy;
}

/**
 * A value shaped like the schema with one thing wrong, chosen among all its leaves alike (a usage event's
 * id is as likely as the call's first field); now and then a plausible value, every field drawn on its own,
 * any JSON at all, with extra fields beside.
 */
export function nearSchema(s: JsonSchema, base?: unknown): fc.Arbitrary<unknown> {
  if (s.type !== 'object') return anyJson;
  const valid = plausible(s, base);
  const oneWrong = valid.chain((v) => {
    const leaves = leavesOf(s, v);
    if (leaves.length === 0) return fc.constant(v);
    return fc
      .constantFrom(...leaves)
      .chain(({ path, schema }) => hostileLeaf(schema, at(v, path)).map((leaf) => replaced(v, path, leaf)));
  });
  const props = Object.entries(s.properties ?? {});
  const fields = isObject(base) ? base : {};
  const allDrawn = fc.record(
    Object.fromEntries(props.map(([k, p]) => [k, fc.oneof(plausible(p, fields[k]), hostileLeaf(p, fields[k]))])),
  );
  const extra = rarely(fc.dictionary(hostileString, anyJson, { minKeys: 1, maxKeys: 2 }), 8);
  return fc
    .tuple(fc.oneof({ arbitrary: oneWrong, weight: 10 }, { arbitrary: valid, weight: 2 }, allDrawn, anyJson), extra)
    .map(([v, x]) => (x && isObject(v) && !Array.isArray(v) ? { ...x, ...v } : v));
}
