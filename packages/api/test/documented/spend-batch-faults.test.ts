import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseHandle, openDatabase, queryRows } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, useHarness } from '../harness';
import { expectLedgerConsistent, grantCredits } from '../ledger';

// src/credits/spend-queue.ts and docs/reliability.md (bug 5): a batch transaction that does not settle within
// its 5 s deadline answers its callers with an error and the queue goes on; "a retry with the same idempotency
// key is safe". Deadlock (40P01) and serialization failures roll the batch back and it runs again.
const BATCH_DEADLINE_MS = 5_000;
const FREE_ALLOWANCE = 50_000;
type Reserved = Awaited<ReturnType<NonNullable<DatabaseHandle['sql']>['reserve']>>;
const CREDITS = 1_000_000;

/** `work`, or a failure naming `what` once `ms` have passed without it settling. */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

// Only a real server lets a second connection hold row locks beside the service's.
describe.runIf(testDatabaseKinds().includes('postgres'))('spend batches held by row locks, on postgres', () => {
  const harness = useHarness('postgres');
  let h: Harness;
  // The test's own connection: it takes the locks and reads what the service wrote.
  let observer: DatabaseHandle;
  beforeAll(async () => {
    h = harness();
    observer = await openDatabase({ url: h.db.url!, poolSize: 2 });
  });
  afterAll(() => observer?.close());

  const spend = (key: string, idempotencyKey: string, amount = 1) =>
    h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: 'Enrichment - session sess_lock', idempotencyKey },
    });
  /** An account whose free allowance is used up (so its token counter exists), with credits to spend. */
  async function drained() {
    const a = await h.account();
    expect((await spend(a.key, 'drain', FREE_ALLOWANCE)).status).toBe(200);
    await grantCredits(h.db.db, a.accountId, CREDITS);
    return a;
  }
  /** The amounts of the ledger rows written for one spend key. */
  const usageRows = async (accountId: string, idempotencyKey: string) =>
    (
      await queryRows<{ amount: string | number }>(
        observer.db,
        sql`select amount from credit_transactions where external_ref = ${`spend:${accountId}:${idempotencyKey}`}`,
      )
    ).map((r) => Number(r.amount));
  /** Backends of this database other than `except` that wait for a lock. */
  const lockWaiters = async (except: number) =>
    (
      await observer.sql!<{ pid: number }[]>`
        select pid from pg_stat_activity
         where datname = current_database() and pid <> ${except} and wait_event_type = 'Lock'`
    ).length;
  async function untilLockWaiter(except: number) {
    const deadline = Date.now() + scaled(10_000);
    while ((await lockWaiters(except)) === 0) {
      expect(Date.now(), 'the spend batch never waited for the lock').toBeLessThan(deadline);
      await sleep(10);
    }
  }

  it('a batch held on a row lock gives up and rolls back before its deadline: its 500 means nothing was spent', async () => {
    const a = await drained();
    const other = await drained();
    const holder = await observer.sql!.reserve();
    const pid = await backendPid(holder);
    try {
      await holder`begin`;
      await holder`select balance from credit_balances where account_id = ${a.accountId} for update`;
      const held = spend(a.key, 'held');
      await untilLockWaiter(pid);

      const answer = await within(held, BATCH_DEADLINE_MS + scaled(10_000), 'the held spend was never answered');
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ error: expect.any(String), code: 'internal' });
      // Answered while the lock is still held: the batch stopped waiting (lock_timeout) and rolled back.
      expect(await lockWaiters(pid)).toBe(0);
      // Spends of other accounts are not stuck behind the held batch.
      const next = await within(spend(other.key, 'meanwhile'), scaled(10_000), 'a spend after the give-up');
      expect(next.status).toBe(200);
    } finally {
      await holder`rollback`;
      holder.release();
    }
    // The caller was told it failed, and it did: nothing lands once the lock is free (the bug: it used to).
    expect(await spend(other.key, 'after-release')).toMatchObject({ status: 200 });
    expect(await usageRows(a.accountId, 'held')).toEqual([]);

    // The retry under the same key is spent once.
    const retry = await spend(a.key, 'held');
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(await spend(a.key, 'held')).toMatchObject({ status: 200, body: retry.body });
    expect(await usageRows(a.accountId, 'held')).toEqual([-1]);
    expect(await expectLedgerConsistent(observer.db, a.accountId)).toBe(CREDITS - 1);
  });

  it('a batch chosen as a deadlock victim runs again: the caller gets 200 and the spend lands once', async () => {
    const a = await drained();
    const deadlocksBefore = await deadlockCount();
    const holder = await observer.sql!.reserve();
    const pid = await backendPid(holder);
    let victim: Promise<{ status: number; body: unknown }>;
    try {
      await holder`begin`;
      // The service's backend checks for a deadlock after the server's 1 s; this one much later, so the
      // batch, not the test, is the transaction Postgres rolls back.
      await holder`set local deadlock_timeout = '60s'`;
      // Holds the account's token counter, which the batch locks after the balance.
      await holder`select used from usage_counters where account_id = ${a.accountId} and metric = 'tokens' for update`;
      victim = spend(a.key, 'victim', 7);
      await untilLockWaiter(pid);
      // Now the balance, which the waiting batch holds: a cycle. This returns once the batch was rolled back.
      await within(
        holder`select balance from credit_balances where account_id = ${a.accountId} for update`,
        scaled(20_000),
        'the batch was never rolled back as a deadlock victim',
      );
    } finally {
      await holder`rollback`;
      holder.release();
    }
    const answer = await within(victim, scaled(20_000), 'the deadlocked spend was never answered');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ fromCredits: 7, balance: CREDITS - 7 });
    await untilDeadlockCounted(deadlocksBefore);
    expect(await usageRows(a.accountId, 'victim')).toEqual([-7]);
    expect(await expectLedgerConsistent(observer.db, a.accountId)).toBe(CREDITS - 7);
  });

  async function backendPid(conn: Reserved): Promise<number> {
    const [row] = await conn<{ pid: number }[]>`select pg_backend_pid() as pid`;
    return row!.pid;
  }

  async function deadlockCount(): Promise<number> {
    await observer.sql!`select pg_stat_clear_snapshot()`;
    const [row] = await observer.sql!<{ deadlocks: string }[]>`
      select deadlocks from pg_stat_database where datname = current_database()`;
    return Number(row!.deadlocks);
  }
  /** Backends report their statistics a little later: Postgres itself counts the deadlock it broke. */
  async function untilDeadlockCounted(before: number) {
    const deadline = Date.now() + scaled(10_000);
    while ((await deadlockCount()) <= before) {
      expect(Date.now(), 'Postgres counted no deadlock').toBeLessThan(deadline);
      await sleep(100);
    }
  }
});
