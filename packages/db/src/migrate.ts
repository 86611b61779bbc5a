import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { DatabaseHandle, Schema } from './client';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Any fixed number: held while migrating, so servers started together on one database migrate one at a time. */
const MIGRATION_LOCK = 7_243_001;

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'embedded' || !handle.sql) {
    await migratePglite(handle.db as unknown as PgliteDatabase<Schema>, { migrationsFolder });
    return;
  }
  // Without the lock every process sees the same missing migrations and all but one fail on `CREATE TYPE`.
  // The lock is a session lock, so it is held on a connection of its own while the pool migrates.
  const lock = await handle.sql.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(handle.db as unknown as PostgresJsDatabase<Schema>, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    lock.release();
  }
}
