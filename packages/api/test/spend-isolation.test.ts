import { setTimeout as sleep } from 'node:timers/promises';
import { isDomainError } from '@contox/core';
import { type DatabaseHandle, openDatabase, queryRows } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spendQueueOf } from '../src/services/credits/spend-queue';
import { type Harness, useHarness } from './harness';
import { expectLedgerConsistent } from './ledger';

const INNOCENT = 40;
const HOSTILE = 10;

async function until(what: string, ok: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + scaled(15_000);
  while (!(await ok())) {
    expect(Date.now(), what).toBeLessThan(deadline);
    await sleep(5);
  }
}

// One request can only fail itself: spends of many accounts share one transaction (group commit), so a spend
// the database refuses must not take the others of its batch down with it. A second connection holds a third
// account's balance lock so that every spend below queues up and goes into one batch, deterministically.
describe.runIf(testDatabaseKinds().includes('postgres'))('a spend the database refuses, inside a shared batch', () => {
  const harness = useHarness('postgres');
  let h: Harness;
  let observer: DatabaseHandle;
  beforeAll(async () => {
    h = harness();
    observer = await openDatabase({ url: h.db.url!, poolSize: 2 });
  });
  afterAll(() => observer?.close());

  const spend = (key: string, idempotencyKey: string, description = 'Enrichment - session sess_1') =>
    h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount: 7, description, idempotencyKey },
    });

  /** A spend handed to the queue as the procedure would, answered the way the REST adapter maps errors. */
  async function queuedDirectly(accountId: string, idempotencyKey: string, description: string) {
    try {
      await spendQueueOf(h.deps).submit({ accountId, amount: 7, description, idempotencyKey });
      return { status: 200, body: {} as unknown };
    } catch (err) {
      return { status: isDomainError(err) && err.code === 'INVALID_INPUT' ? 400 : 500, body: { error: String(err) } };
    }
  }

  it('fails only the spend at fault; every other spend of the batch is answered as if it was never sent', async () => {
    const [innocent, hostile, blocker] = [await h.account(), await h.account(), await h.account()];
    const queue = spendQueueOf(h.deps);
    const holder = await observer.sql!.reserve();
    let answers: { status: number; body: unknown }[] = [];
    try {
      await holder`begin`;
      await holder`select balance from credit_balances where account_id = ${blocker.accountId} for update`;
      const blocked = spend(blocker.key, 'blocked');
      await until('the blocker batch waits on the lock', async () => {
        const rows = await observer.sql!`select 1 from pg_stat_activity where wait_event_type = 'Lock'`;
        return rows.length > 0;
      });
      const sent = [
        ...Array.from({ length: INNOCENT }, (_, i) => spend(innocent.key, `ok-${i}`)),
        // A NUL byte is valid JSON and a valid JS string, but Postgres text cannot hold it. The API refuses it
        // before any I/O now (test/input-limits.test.ts); these go to the queue directly, as any input the
        // checks did not foresee would, to show the batch itself isolates them.
        ...Array.from({ length: HOSTILE }, (_, i) => queuedDirectly(hostile.accountId, `bad-${i}`, `evil\u0000${i}`)),
      ];
      await until('every spend waits for the same next batch', () => queue.queued === INNOCENT + HOSTILE);
      await holder`rollback`;
      answers = await Promise.all(sent);
      expect((await blocked).status).toBe(200);
    } finally {
      holder.release();
    }
    const innocentAnswers = answers.slice(0, INNOCENT);
    expect(innocentAnswers.map((a) => a.status)).toEqual(Array(INNOCENT).fill(200));
    expect(innocentAnswers.map((a) => (a.body as { fromAllowance: number }).fromAllowance)).toEqual(
      Array(INNOCENT).fill(7),
    );
    for (const a of answers.slice(INNOCENT)) {
      expect(a.status).toBe(400);
      // The queue's own refusal, as the procedure receives it (this test builds the body itself).
      expect(a.body).toEqual({ error: expect.stringContaining('The spend could not be stored') });
    }
    const rows = await queryRows<{ n: string | number }>(
      observer.db,
      sql`select count(*) as n from credit_transactions where account_id = ${innocent.accountId}`,
    );
    expect(Number(rows[0]!.n)).toBe(INNOCENT);
    const hostileRows = await queryRows<{ n: string | number }>(
      observer.db,
      sql`select count(*) as n from credit_transactions where account_id = ${hostile.accountId}`,
    );
    expect(Number(hostileRows[0]!.n)).toBe(0);
    await expectLedgerConsistent(h.db.db, innocent.accountId);
    const usage = await h.fetch('/api/billing/credits/summary', { key: innocent.key });
    expect(usage.body).toMatchObject({ allowance: { used: INNOCENT * 7 } });
  });
});
