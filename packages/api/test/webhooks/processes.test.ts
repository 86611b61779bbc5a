import { queryRows } from '@contox/db';
import { createTestDatabase, scaled, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../fire/server-process';
import { addEndpoint, emit, newAccount } from './deps';
import { type Receiver, startReceiver } from './receiver';

const EVENTS_PER_ACCOUNT = 30;
const ACCOUNTS = 4;

const allEventIds = async (db: TestDatabase) =>
  (await queryRows<{ id: string }>(db.db, sql`select id from webhook_events order by id`)).map((r) => r.id);

/** Emits EVENTS_PER_ACCOUNT events for each of ACCOUNTS new accounts, a transaction per event, concurrently. */
async function emitMany(db: TestDatabase): Promise<void> {
  const accounts = await Promise.all(Array.from({ length: ACCOUNTS }, () => newAccount(db.db)));
  await Promise.all(
    accounts.flatMap((accountId) =>
      Array.from({ length: EVENTS_PER_ACCOUNT }, (_, i) =>
        emit(db.db, [{ accountId, type: 'usage.limit_approaching', data: { i } }]),
      ),
    ),
  );
}

// Processes need a database other processes can reach: real Postgres only.
describe.runIf(testDatabaseKinds().includes('postgres'))('outgoing webhooks from server processes', () => {
  let db: TestDatabase;
  const servers: ServerProcess[] = [];
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    for (const s of servers) await stopServerProcess(s);
    for (const r of receivers) await r.close();
    await db?.close();
  });

  const receiver = async (opts: Omit<Parameters<typeof startReceiver>[0], 'secret'> = {}) => {
    const box = { secret: '' };
    const r = await startReceiver({ ...opts, secret: () => box.secret });
    receivers.push(r);
    box.secret = (await addEndpoint(db.db, r.url)).secret;
    return r;
  };

  it('two processes on one database deliver every event exactly once between them', async () => {
    const r = await receiver();
    const env = { DATABASE_URL: db.url! };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    await emitMany(db);
    const ids = await allEventIds(db);
    await r.waitFor(ids.length, scaled(60_000));
    expect(r.processed.map((e) => e.id).sort()).toEqual(ids);
    expect([...r.deliveries.values()].filter((n) => n !== 1)).toEqual([]);
    expect(r.badSignatures).toBe(0);
    for (const s of servers.splice(0)) await stopServerProcess(s);
    await r.close();
    await db.db.execute(sql`update webhook_endpoints set deleted_at = now()`);
  });

  it('a kill -9 during delivery loses nothing: the next process delivers what was in flight, the receiver dedupes', async () => {
    let hung = 0;
    let killed = false;
    let sawHang: () => void = () => {};
    const hang = new Promise<void>((resolve) => {
      sawHang = resolve;
    });
    // The first process's deliveries are left unanswered once the receiver has processed them: it dies while
    // they are in flight, after the receiver did the work but before anyone recorded it.
    const r = await receiver({
      onDelivery: () => {
        if (killed) return true;
        hung++;
        sawHang();
        return false;
      },
    });
    await emitMany(db);
    const first = await startServerProcess({ DATABASE_URL: db.url! });
    servers.push(first);
    await hang;
    first.child.kill('SIGKILL');
    killed = true;
    await first.exited;
    servers.splice(servers.indexOf(first), 1);
    expect(hung).toBeGreaterThan(0);

    servers.push(await startServerProcess({ DATABASE_URL: db.url! }));
    const mine = await queryRows<{ id: string }>(
      db.db,
      sql`select e.id from webhook_events e join webhook_deliveries d on d.event_id = e.id
           join webhook_endpoints p on p.id = d.endpoint_id where p.url = ${r.url} order by e.id`,
    );
    // The second process takes them over once the dead one's claims lapse (the attempt timeout plus 10 s).
    await r.waitFor(mine.length, scaled(90_000));
    expect(r.processed.map((e) => e.id).sort()).toEqual(mine.map((m) => m.id));
    // Only what the killed process had claimed came twice: its first attempts, never recorded.
    const twice = [...r.deliveries.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    expect([...r.deliveries.values()].every((n) => n <= 2)).toBe(true);
    const unrecorded = await queryRows<{ event_id: string }>(
      db.db,
      sql`select d.event_id from webhook_deliveries d
           where not exists (select 1 from webhook_attempts a
                              where a.event_id = d.event_id and a.endpoint_id = d.endpoint_id and a.attempt = 1)
             and d.attempts > 1`,
    );
    expect(twice.every((id) => unrecorded.some((u) => u.event_id === id))).toBe(true);
    expect(unrecorded.length).toBeLessThanOrEqual(16);
  });
});
