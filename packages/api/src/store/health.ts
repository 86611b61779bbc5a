import type { Executor } from '@contox/db';
import { sql } from 'drizzle-orm';

/** One round trip to the database, for health checks. */
export async function pingDatabase(db: Executor): Promise<void> {
  await db.execute(sql`select 1`);
}
