/** Fails the step with what was expected and what came: the seed and the step number are added by the runner. */
export class Mismatch extends Error {}

/** Every field of `expected` has that value in `actual` (deeply); other fields of `actual` are not looked at. */
export function matches(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected);
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
    );
  }
  return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
}

export function expectMatch(what: string, actual: unknown, expected: unknown): void {
  if (!matches(actual, expected)) {
    throw new Mismatch(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
