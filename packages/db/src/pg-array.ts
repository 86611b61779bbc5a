/**
 * A Postgres array literal (`{"a","b",NULL}`) to pass as one text parameter and cast in SQL (`$1::text[]`).
 * Both drivers accept it as a plain string, and a statement over arrays keeps one text whatever the batch
 * size, so it is prepared once instead of once per size.
 */
export function pgArray(values: readonly (string | number | null)[]): string {
  const items = values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`));
  return `{${items.join(',')}}`;
}
