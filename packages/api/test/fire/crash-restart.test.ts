import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, scaled, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectLedgerConsistent, grantCredits } from '../ledger';
import { findInvariantViolations } from './invariants';
import { type SpendOutcome, spendLoad, spendOnce } from './load';
import { accountOfKey, spentKeys } from './process-accounts';
import { startServerProcess, stopServerProcess } from './server-process';

const KEY = 'contox_sk_fire_crash_restart_0000001';
const FREE_ALLOWANCE = 50_000;
const CREDITS = 1_000_000;
const ANSWERED_BEFORE_KILL = 40;
const WORKERS = 16;

// A process needs a database other processes can reach: real Postgres only.
describe.runIf(testDatabaseKinds().includes('postgres'))('kill -9 of the server under spend load, on postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db?.close());

  it('every spend answered 2xx is in the ledger; after a restart every other spend applies or replays once', async () => {
    const env = { DATABASE_URL: db.url!, BILLING_BOOTSTRAP_API_KEY: KEY };
    const first = await startServerProcess(env);
    const accountId = await accountOfKey(db.db, KEY);
    expect((await spendOnce(first.url, KEY, 'drain-allowance', FREE_ALLOWANCE)).status).toBe(200);
    await grantCredits(db.db, accountId, CREDITS);

    // The kill comes once the load is well under way, however slow the machine: spends answered, more in flight.
    let killed = false;
    let answeredBeforeKill = 0;
    const load = spendLoad({
      targets: [first],
      workers: WORKERS,
      amount: 1,
      prefix: 'crash',
      until: () => killed,
      onOutcome: (o) => {
        if (o.status === 200) answeredBeforeKill++;
      },
    });
    const budget = scaled(30_000);
    for (const giveUp = Date.now() + budget; answeredBeforeKill < ANSWERED_BEFORE_KILL; await sleep(10)) {
      if (Date.now() > giveUp)
        throw new Error(`only ${answeredBeforeKill} spends answered in ${budget} ms: the server is not serving`);
    }
    first.child.kill('SIGKILL');
    killed = true;
    const outcomes = await load;
    await first.exited;

    const answered = outcomes.filter((o) => o.status === 200);
    const unanswered = outcomes.filter((o) => o.status === null);
    expect(outcomes.length).toBe(answered.length + unanswered.length);
    const inLedger = await spentKeys(db.db, accountId);
    expect(answered.filter((o) => !inLedger.has(o.key)).map((o) => o.key)).toEqual([]);
    expect(await findInvariantViolations(db.db)).toEqual([]);

    const second = await startServerProcess(env);
    try {
      // As many callers as the load had, not one per key at once: on a busy machine hundreds of spends in
      // flight together could outlast the answer budget, and a late answer would read as a lost spend.
      const retried: SpendOutcome[] = [];
      const queue = [...outcomes];
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          for (let o = queue.shift(); o; o = queue.shift()) retried.push(await spendOnce(second.url, KEY, o.key, 1));
        }),
      );
      expect(retried.filter((r) => r.status !== 200)).toEqual([]);
      // A retry of an answered spend returns that spend, not a new one.
      const first200 = new Map(answered.map((o) => [o.key, (o.body as { transactionId: string }).transactionId]));
      for (const r of retried) {
        const earlier = first200.get(r.key);
        if (earlier) expect((r.body as { transactionId: string }).transactionId).toBe(earlier);
      }
    } finally {
      await stopServerProcess(second);
    }
    const keys = await spentKeys(db.db, accountId);
    expect(keys.size).toBe(outcomes.length + 1);
    expect(await expectLedgerConsistent(db.db, accountId)).toBe(CREDITS - outcomes.length);
    expect(await findInvariantViolations(db.db)).toEqual([]);
    process.stdout.write(
      `kill -9: ${answered.length} spends answered, ${unanswered.length} cut off, ${inLedger.size - 1 - answered.length} of those committed before the kill\n`,
    );
  });
});
