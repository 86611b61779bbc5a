import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * docs/scaling.md's path to Citus, held to the migrated schema: the doc names every table's place on a
 * distributed cluster, and for the tables distributed by account lists each key (primary key, unique constraint
 * or unique index) that does not include the account, which is re-keyed before distribution. A new table, or a
 * new key without the account, fails here until the doc says where it goes; a key fixed must leave the list.
 */
const doc = readFileSync(new URL('../../../../docs/scaling.md', import.meta.url), 'utf8');

type Place = 'account' | 'reference' | 'own key';

/** The doc's table rows: | `name` | place | `key`, `key` or – | */
function documented(): Map<string, { place: Place; rekey: string[] }> {
  const rows = new Map<string, { place: Place; rekey: string[] }>();
  for (const m of doc.matchAll(
    /^\| `([a-z_]+)` \| (distributed by account|reference|distributed by its own key)[^|]*\| ([^|]*)\|/gm,
  )) {
    const place: Place = m[2] === 'reference' ? 'reference' : m[2] === 'distributed by account' ? 'account' : 'own key';
    rows.set(m[1]!, { place, rekey: [...m[3]!.matchAll(/`([a-z0-9_]+)`/g)].map((k) => k[1]!) });
  }
  return rows;
}

describe.runIf(testDatabaseKinds().includes('postgres'))('docs/scaling.md against the migrated schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db?.close());

  const tables = async () =>
    (
      await db.sql!<{ name: string }[]>`
        select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
    ).map((r) => r.name);

  /** Every unique key of every table (primary keys and unique constraints are unique indexes too), with its columns. */
  const uniqueKeys = async () =>
    db.sql!<{ table: string; key: string; columns: string[] }[]>`
      select t.relname as table, i.relname as key, array_agg(a.attname::text order by a.attnum) as columns
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = t.oid and a.attnum = any(x.indkey)
      where x.indisunique
      group by 1, 2`;

  it('names every table, and the Stripe event log as a reference table', async () => {
    const places = documented();
    const existing = await tables();
    expect(existing.filter((t) => !places.has(t))).toEqual([]);
    expect([...places.keys()].filter((t) => !existing.includes(t))).toEqual([]);
    expect(places.get('stripe_events')?.place).toBe('reference');
    expect([...places.values()].filter((p) => p.place === 'account').length).toBeGreaterThan(10);
  });

  it('includes the account in every key of a table distributed by account, but for the keys listed to re-key', async () => {
    const places = documented();
    const offending = new Map<string, string[]>();
    for (const { table, key, columns } of await uniqueKeys()) {
      if (places.get(table)?.place !== 'account') continue;
      // The accounts table is distributed by its own id, which is the account id.
      const accountColumn = table === 'accounts' ? 'id' : 'account_id';
      if (!columns.includes(accountColumn)) offending.set(table, [...(offending.get(table) ?? []), key].sort());
    }
    for (const [table, { place, rekey }] of places) {
      if (place !== 'account') continue;
      expect(offending.get(table) ?? [], `keys of ${table} without the account`).toEqual([...rekey].sort());
    }
  });
});
