import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: 'embedded' | 'postgres';
  /** The raw postgres.js client on a real server (the hot paths use it directly); null when embedded. */
  sql: postgres.Sql | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A postgres:// URL. Without it the embedded Postgres (PGlite) is used. */
  url?: string;
  /** Embedded only: the data folder; omitted means in memory. */
  dataDir?: string;
  /** Embedded only: start from a dump made by `dumpDataDir` (tests clone a migrated template). */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  if (opts.url) {
    const sql = postgres(opts.url, {
      max: opts.poolSize ?? 10,
      onnotice: () => {},
      prepare: true,
      // How /metrics finds this service's connections in pg_stat_activity.
      connection: { application_name: 'contox-billing' },
    });
    const db = drizzlePostgres(sql, { schema }) as unknown as Database;
    return { db, kind: 'postgres', sql, close: () => sql.end({ timeout: 5 }) };
  }
  const client = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'embedded',
    sql: null,
    close: () => client.close(),
    ...{ pglite: client },
  };
}

/** The PGlite instance behind an embedded handle (for dumps in tests). */
export function pgliteOf(handle: DatabaseHandle): PGlite | null {
  return (handle as DatabaseHandle & { pglite?: PGlite }).pglite ?? null;
}
