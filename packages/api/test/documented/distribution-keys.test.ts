import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * docs/scaling.md's path to Citus, held to the migrated schema: the doc names every table's place on a
 * distributed cluster; a table distributed by account has the account in every key (primary key, unique
 * constraint or unique index), as Citus requires; and every foreign key is one Citus can keep. A new table, key
 * or foreign key fails here until it fits the plan.
 */
const doc = readFileSync(new URL('../../../../docs/scaling.md', import.meta.url), 'utf8');

type Place = 'account' | 'reference' | 'own key';

/** The doc's table rows: | `name` | place… | */
function documented(): Map<string, Place> {
  const rows = new Map<string, Place>();
  for (const m of doc.matchAll(/^\| `([a-z_]+)` \| (distributed by account|reference|distributed by its own key)/gm)) {
    rows.set(m[1]!, m[2] === 'reference' ? 'reference' : m[2] === 'distributed by account' ? 'account' : 'own key');
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

  /** Every foreign key: its table and columns, and the referenced table and columns, pair by pair. */
  const foreignKeys = async () =>
    db.sql!<{ name: string; from: string; to: string; pairs: string[] }[]>`
      select c.conname as name, f.relname as from, t.relname as to,
             array_agg(fa.attname || '=' || ta.attname order by k.n) as pairs
      from pg_constraint c
      join pg_class f on f.oid = c.conrelid
      join pg_class t on t.oid = c.confrelid
      join pg_namespace n on n.oid = f.relnamespace and n.nspname = 'public'
      cross join lateral unnest(c.conkey, c.confkey) with ordinality as k(fk, pk, n)
      join pg_attribute fa on fa.attrelid = f.oid and fa.attnum = k.fk
      join pg_attribute ta on ta.attrelid = t.oid and ta.attnum = k.pk
      where c.contype = 'f'
      group by 1, 2, 3`;

  it('names every table, and the Stripe event log as a reference table', async () => {
    const places = documented();
    const existing = await tables();
    expect(existing.filter((t) => !places.has(t))).toEqual([]);
    expect([...places.keys()].filter((t) => !existing.includes(t))).toEqual([]);
    expect(places.get('stripe_events')).toBe('reference');
    expect([...places.values()].filter((p) => p === 'account').length).toBeGreaterThan(10);
  });

  it('includes the account in every key of every table distributed by account', async () => {
    const places = documented();
    const keys = (await uniqueKeys()).filter((k) => places.get(k.table) === 'account');
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => !k.columns.includes('account_id')).map((k) => `${k.table}: ${k.key}`)).toEqual([]);
  });

  it('keeps only foreign keys that Citus can: by account between distributed tables, none into them from reference ones', async () => {
    const places = documented();
    const fks = await foreignKeys();
    expect(fks.length).toBeGreaterThan(10);
    const refused = fks.filter(({ from, to, pairs }) => {
      const [a, b] = [places.get(from), places.get(to)];
      if (b === 'reference') return false;
      if (a === 'account' && b === 'account') return !pairs.includes('account_id=account_id');
      return true;
    });
    expect(refused.map((f) => `${f.from} → ${f.to}: ${f.name}`)).toEqual([]);
  });
});
