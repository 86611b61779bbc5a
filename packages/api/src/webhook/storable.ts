// A Stripe event is kept whole in a jsonb column. Postgres refuses some JSON that Node parses: text holding
// U+0000 or half of a surrogate pair, and nesting past its parser's stack. Stripe never sends such events, so
// a signed body that holds one is refused before anything is looked up or stored.
const MAX_DEPTH = 64;
const LONE_SURROGATE = /\p{Cs}/u;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** Why Postgres could not store `value` as jsonb, or undefined when it can. Iterative: depth is the input's. */
export function whyUnstorable(value: unknown): string | undefined {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item === 'string' && unstorable(item)) return 'it holds text with a NUL or a lone surrogate';
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_DEPTH) return `it is nested deeper than ${MAX_DEPTH} levels`;
    for (const [key, child] of Object.entries(item)) {
      if (unstorable(key)) return 'it holds a key with a NUL or a lone surrogate';
      pending.push([child, depth + 1]);
    }
  }
  return undefined;
}
