import type { Database } from '@contox/db';

const caches = new WeakMap<Database, Map<string, unknown>>();

/**
 * A query built once per database and reused: on the read paths, building a Drizzle query costs more CPU
 * than Postgres spends answering it. `build` must use placeholders for everything that varies.
 */
export function prepared<T>(db: Database, name: string, build: (db: Database) => T): T {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let query = cache.get(name) as T | undefined;
  if (!query) {
    query = build(db);
    cache.set(name, query);
  }
  return query;
}
