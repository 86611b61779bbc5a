import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '@contox/api';
import { type DatabaseHandle, migrateDatabase, openDatabase } from '@contox/db';

/** A real server when DATABASE_URL is set, else the embedded Postgres in DATA_DIR; migrated either way. */
export async function openMigratedDatabase(config: Config): Promise<{ handle: DatabaseHandle; where: string }> {
  if (config.DATABASE_URL) {
    const handle = await openDatabase({ url: config.DATABASE_URL });
    await migrateDatabase(handle);
    const url = new URL(config.DATABASE_URL);
    return { handle, where: `Postgres at ${url.host}${url.pathname}` };
  }
  const dataDir = resolve(config.DATA_DIR, 'pg');
  mkdirSync(dataDir, { recursive: true });
  const handle = await openDatabase({ dataDir });
  await migrateDatabase(handle);
  return { handle, where: `embedded Postgres in ${dataDir}` };
}
