import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseHandle, openDatabase, queryRows } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, useHarness } from './harness';
import { expectLedgerConsistent, grantCredits } from './ledger';

// A spend batch reads the spends already made under its keys only once it holds its accounts' balance locks
// (lockCountersAndReadPriors in store/ledger.ts): a spend that another process committed while the batch
// waited for a lock must be found, so a retry sent to a second process is answered with the first answer, not
// refused by the ledger's unique key. A read in the same statement as the lock would see the ledger from
// before the wait.
const FREE_ALLOWANCE = 50_000;
const CREDITS = 1_000_000;
const DESCRIPTION = 'Enrichment - session sess_retry';

// Only a real server lets a second connection hold row locks beside the service's.
describe.runIf(testDatabaseKinds().includes('postgres'))('a spend committed elsewhere during the lock wait', () => {
  const harness = useHarness('postgres');
  let h: Harness;
  // Plays the other process: holds the balance lock and writes that process's spend.
  let other: DatabaseHandle;
  beforeAll(async () => {
    h = harness();
    other = await openDatabase({ url: h.db.url!, poolSize: 2 });
  });
  afterAll(() => other?.close());

  const spend = (key: string, idempotencyKey: string, amount: number) =>
    h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: DESCRIPTION, idempotencyKey },
    });

  async function untilLockWaiter(except: number) {
    const deadline = Date.now() + scaled(10_000);
    for (;;) {
      const waiters = await other.sql!<{ pid: number }[]>`
        select pid from pg_stat_activity
         where datname = current_database() and pid <> ${except} and wait_event_type = 'Lock'`;
      if (waiters.length > 0) return;
      expect(Date.now(), 'the spend batch never waited for the lock').toBeLessThan(deadline);
      await sleep(10);
    }
  }

  it('is answered with that spend: same transaction, charged once', async () => {
    const a = await h.account();
    // The free allowance used up, so the spend comes from credits as the other process's row says.
    expect((await spend(a.key, 'drain', FREE_ALLOWANCE)).status).toBe(200);
    await grantCredits(h.db.db, a.accountId, CREDITS);
    const ref = `spend:${a.accountId}:retried`;
    const holder = await other.sql!.reserve();
    let answer: Promise<{ status: number; body: unknown }>;
    try {
      const [backend] = await holder<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await holder`begin`;
      await holder`select balance from credit_balances where account_id = ${a.accountId} for update`;
      answer = spend(a.key, 'retried', 3);
      await untilLockWaiter(backend!.pid);
      // The other process's batch, as spend-batch.ts writes it, committed while this one waits.
      await holder`insert into credit_transactions
                     (id, account_id, type, amount, from_allowance, description, external_ref, balance_after)
                   values ('txn_elsewhere', ${a.accountId}, 'usage', -3, 0, ${DESCRIPTION}, ${ref}, ${CREDITS - 3})`;
      await holder`update credit_balances set balance = ${CREDITS - 3} where account_id = ${a.accountId}`;
      await holder`commit`;
    } finally {
      holder.release();
    }
    const answered = await answer;
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ transactionId: 'txn_elsewhere', fromCredits: 3 });
    const rows = await queryRows<{ id: string }>(
      other.db,
      sql`select id from credit_transactions where account_id = ${a.accountId} and external_ref = ${ref}`,
    );
    expect(rows.map((r) => r.id)).toEqual(['txn_elsewhere']);
    expect(await expectLedgerConsistent(other.db, a.accountId)).toBe(CREDITS - 3);
  });
});
