import { type Executor, queryRows } from '@contox/db';
import { sql } from 'drizzle-orm';

/** One round trip to the database, for health checks. */
export async function pingDatabase(db: Executor): Promise<void> {
  await db.execute(sql`select 1`);
}

/**
 * Connections of every Contox Billing process to this database, by state: the processes name themselves
 * `contox-billing` (packages/db's client), so a shared server's other users are left out.
 */
export async function databaseConnections(db: Executor): Promise<{ state: string; count: number }[]> {
  const rows = await queryRows<{ state: string; count: number }>(
    db,
    sql`
    select coalesce(state, 'unknown') as state, count(*)::int as count from pg_stat_activity
    where datname = current_database() and application_name = 'contox-billing' group by 1`,
  );
  return rows.map((r) => ({ state: r.state, count: Number(r.count) }));
}
