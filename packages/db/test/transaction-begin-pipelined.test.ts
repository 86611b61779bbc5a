import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../src/testing/index';

/**
 * patches/postgres@3.4.9.patch sends a transaction's statements behind its BEGIN without waiting for BEGIN's
 * answer (one round trip fewer). Should BEGIN fail, the statements already sent ran on their own, and nothing
 * the transaction sends after that may reach the connection: no write lands outside a transaction.
 */
describe.runIf(testDatabaseKinds().includes('postgres'))('a transaction whose BEGIN fails, on postgres', () => {
  let db: TestDatabase;
  let sql: postgres.Sql;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    sql = postgres(db.url!, { max: 1, onnotice: () => {} });
    await sql`create table begin_probe (id text primary key)`;
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await db?.close();
  });

  it('sends nothing after its first answers, and the connection serves the next transaction', async () => {
    let work!: Promise<void>;
    // `isolation level bogus` is no BEGIN Postgres takes: it answers a syntax error.
    const failed = sql.begin('isolation level bogus', (tx) => {
      work = (async () => {
        await tx`select 1`;
        await tx`insert into begin_probe values ('outside')`;
      })();
      return work;
    });
    await expect(failed).rejects.toThrow(/syntax error/);
    // The callback ends too (no statement of it left waiting forever), refused.
    await expect(work).rejects.toThrow(/syntax error/);
    expect(await sql`select id from begin_probe`).toEqual([]);
    await sql.begin((tx) => tx`insert into begin_probe values ('inside')`);
    expect((await sql`select id from begin_probe`).map((r) => r.id)).toEqual(['inside']);
  });

  it('runs its statements after BEGIN on the one connection it holds', async () => {
    const ids = await sql.begin(async (tx) => {
      const [a, b] = await Promise.all([tx`select txid_current() as id`, tx`select txid_current() as id`]);
      return [a![0]!.id, b![0]!.id];
    });
    expect(ids[0]).toBe(ids[1]);
  });
});
