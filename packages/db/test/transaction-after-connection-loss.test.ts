import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../src/testing/index';

/**
 * A transaction whose connection Postgres drops must not go on through the connection that replaces it:
 * there its statements would run outside any transaction, or inside another caller's, and its closing
 * COMMIT or ROLLBACK would end that caller's transaction. postgres.js 3.4.9 lets them through
 * (porsager/postgres#1216); patches/postgres@3.4.9.patch stops them.
 */
describe.runIf(testDatabaseKinds().includes('postgres'))(
  'a transaction cut off from its connection, on postgres',
  () => {
    let db: TestDatabase;
    let admin: postgres.Sql;
    let sql: postgres.Sql;
    beforeAll(async () => {
      db = await createTestDatabase('postgres');
      admin = postgres(db.url!, { max: 1, onnotice: () => {} });
      await admin`create table cutoff_probe (id text primary key)`;
      // One connection: whoever comes next is handed the very connection object the cut transaction held.
      sql = postgres(db.url!, { max: 1, onnotice: () => {} });
    });
    afterAll(async () => {
      await sql?.end({ timeout: 5 });
      await admin?.end();
      await db?.close();
    });

    it('its later statements and its COMMIT fail instead of landing in the next transaction', async () => {
      let resume!: () => void;
      const paused = new Promise<void>((r) => {
        resume = r;
      });
      const late: Promise<unknown>[] = [];
      const cut = sql.begin(async (tx) => {
        const [backend] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await admin`select pg_terminate_backend(${backend!.pid})`;
        await paused;
        // Sent at once, while the next transaction is open on the same connection object.
        late.push(tx`insert into cutoff_probe values ('from the cut transaction')`.execute());
        return 'committed';
      });
      await expect(cut).rejects.toMatchObject({ code: expect.stringMatching(/57P01|CONNECTION_CLOSED/) });

      let nextCanEnd!: () => void;
      const nextHolds = new Promise<void>((r) => {
        nextCanEnd = r;
      });
      const next = sql
        .begin(async (tx) => {
          await tx`insert into cutoff_probe values ('from the next transaction')`;
          resume();
          await nextHolds;
          throw new Error('the next transaction rolls back on purpose');
        })
        .catch((err: Error) => err.message);
      // The next transaction stays open until the late statement has had its answer, whatever it is: sent
      // into the next transaction it would succeed there, refused it fails; either way it settles.
      while (late.length === 0) await sleep(10);
      const [lateInsert] = await Promise.allSettled(late);
      nextCanEnd();

      expect(await next).toBe('the next transaction rolls back on purpose');
      expect(lateInsert).toMatchObject({ status: 'rejected', reason: { code: 'CONNECTION_CLOSED' } });
      expect(await admin`select id from cutoff_probe`).toEqual([]);
    });
  },
);
