import { type Database, queryRows } from '@contox/db';
import { type SQL, sql } from 'drizzle-orm';

/**
 * Row count and a hash of the contents of every table: equal digests mean nothing was written in between, but
 * for when an API key was last used and the rate limit's counters (bookkeeping any call may do, not an effect
 * of the call).
 * A usage counter at zero is left out: spends lock their period's counter by upserting it, so a refused spend
 * may leave an empty one behind, which reads exactly like no row.
 */
export async function databaseDigest(db: Database): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'rate_limit_counters'
         order by table_name`,
  );
  return digestOf(
    db,
    tables.map((t) => ({ name: t.name, where: t.name === 'usage_counters' ? sql`x.used <> 0` : sql`true` })),
  );
}

/** The same, restricted to one account's rows: every table keyed by account, and the account itself. */
export async function accountDigest(db: Database, accountId: string): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.columns
         where table_schema = 'public' and column_name = 'account_id' order by table_name`,
  );
  return digestOf(db, [
    { name: 'accounts', where: sql`x.id = ${accountId}` },
    ...tables.map((t) => ({ name: t.name, where: sql`x.account_id = ${accountId}` })),
  ]);
}

async function digestOf(db: Database, tables: { name: string; where: SQL }[]): Promise<Record<string, string>> {
  const parts = tables.map(
    (t) =>
      sql`select ${t.name} as name, count(*) || ':' || md5(coalesce(string_agg(r, '|' order by r), '')) as digest
            from ${sql.identifier(t.name)} x, lateral (select (to_jsonb(x) - 'last_used_at')::text as r) j
           where ${t.where}`,
  );
  const rows = await queryRows<{ name: string; digest: string }>(db, sql.join(parts, sql` union all `));
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}
