import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseHandle, openDatabase } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../harness';
import { expectLedgerConsistent, grantCredits } from '../ledger';
import { findInvariantViolations } from './invariants';
import { spendLoad, spendOnce } from './load';
import { spentKeys } from './process-accounts';

const FREE_ALLOWANCE = 50_000;
const CREDITS = 1_000_000;
const ANSWER_WITHIN_MS = 3_000;

async function recordUsage(h: Harness, key: string, events: unknown[]): Promise<number | null> {
  const res = await fetch(`${h.url}/api/billing/usage/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  }).catch(() => null);
  return res?.status ?? null;
}

/**
 * Spends and usage running while the service's database connections are cut `outages` times: the busy ones
 * (a statement running or a transaction open at that instant), or all of them, as a database restart would.
 */
async function underOutages(h: Harness, observer: DatabaseHandle, key: string, outages: number, cut: 'busy' | 'all') {
  let stop = false;
  let kills = 0;
  const usageBatches: { id: string; metric: string; quantity: number }[][] = [];
  const usage = (async () => {
    for (let b = 0; !stop; b++) {
      const batch = Array.from({ length: 5 }, (_, i) => ({
        id: `loss-${outages}-${b}-${i}`,
        metric: 'events',
        quantity: 1,
      }));
      usageBatches.push(batch);
      await recordUsage(h, key, batch);
    }
  })();
  const load = spendLoad({
    targets: [{ url: h.url, apiKey: key }],
    workers: 12,
    amount: 3,
    prefix: `loss-${outages}`,
    until: () => stop,
    timeoutMs: ANSWER_WITHIN_MS,
  });
  for (let round = 0; round < outages; round++) {
    await sleep(500);
    // On a slow machine no statement may be running at a given instant: try again until one is cut.
    for (let tries = 0; tries < 100; tries++) {
      const killed = await observer.sql!<{ cut: boolean }[]>`
        select pg_terminate_backend(pid) as cut from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
           and (${cut === 'all'} or state <> 'idle')`;
      const cutNow = killed.filter((k) => k.cut).length;
      kills += cutNow;
      if (cutNow > 0) break;
      await sleep(20);
    }
  }
  await sleep(500);
  stop = true;
  const [outcomes] = await Promise.all([load, usage]);
  return { kills, usageBatches, outcomes };
}

/**
 * The service under test and, beside it, a connection of the test's own: it cuts the service's connections
 * and reads the database afterwards, so the checks do not depend on the pool that was just damaged.
 */
function useOutageHarness() {
  let h: Harness | undefined;
  let observer: DatabaseHandle | undefined;
  beforeAll(async () => {
    h = await startHarness('postgres');
    observer = await openDatabase({ url: h.db.url!, poolSize: 1 });
  });
  afterAll(async () => {
    if (observer) expect(await findInvariantViolations(observer.db)).toEqual([]);
    await observer?.close();
    await h?.close();
  });
  return async () => {
    const a = await h!.account();
    expect((await spendOnce(h!.url, a.key, 'drain-allowance', FREE_ALLOWANCE)).status).toBe(200);
    await grantCredits(h!.db.db, a.accountId, CREDITS);
    return { h: h!, observer: observer!, a };
  };
}

// Only a real server has connections to cut.
describe.runIf(testDatabaseKinds().includes('postgres'))('database connections lost mid-request, on postgres', () => {
  const setup = useOutageHarness();

  it('callers get 500 { error } or no answer, never a wrong one, and nothing is half-written', async () => {
    const { h, observer, a } = await setup();
    const { kills, usageBatches, outcomes } = await underOutages(h, observer, a.key, 1, 'busy');

    const answered = outcomes.filter((o) => o.status !== null);
    const failed = answered.filter((o) => o.status !== 200);
    expect(kills).toBeGreaterThan(0);
    // A lost connection is a 500 with the contract's body: never a 402 from a half-read balance.
    expect(failed.filter((o) => o.status !== 500)).toEqual([]);
    for (const o of failed) expect(o.body).toEqual({ error: 'Internal server error' });
    const inLedger = await spentKeys(observer.db, a.accountId);
    expect(outcomes.filter((o) => o.status === 200 && !inLedger.has(o.key))).toEqual([]);
    // Nothing half-written: every spend in the ledger is whole, balance and rows agree, and so do the counters.
    expect(await expectLedgerConsistent(observer.db, a.accountId)).toBe(CREDITS - 3 * (inLedger.size - 1));
    expect(await findInvariantViolations(observer.db)).toEqual([]);
    const hung = outcomes.length - answered.length;
    process.stdout.write(
      `connection loss: ${kills} backends cut, ${outcomes.length} spends, ${failed.length} answered 500, ${hung} unanswered after ${ANSWER_WITHIN_MS} ms, ${usageBatches.length} usage batches\n`,
    );
  });
});

describe.runIf(testDatabaseKinds().includes('postgres'))('spends after a database outage, on postgres', () => {
  const setup = useOutageHarness();

  it('a spend batch cut mid-transaction runs again on a fresh connection: answered 200, spent once', async () => {
    const { h, observer, a } = await setup();
    // The batch is provably mid-transaction: it waits for the balance row this connection holds.
    const holder = await observer.sql!.reserve();
    await holder`begin`;
    const [before] = await holder`select balance from credit_balances where account_id = ${a.accountId} for update`;
    const cutOff = spendOnce(h.url, a.key, 'cut-off', 1, 10_000);
    let cut: { cut: boolean }[] = [];
    for (let tries = 0; cut.length === 0 && tries < 250; tries++) {
      // Inside a transaction pg_stat_activity is read once and kept: each look needs a fresh snapshot.
      await holder`select pg_stat_clear_snapshot()`;
      cut = await holder<{ cut: boolean }[]>`
        select pg_terminate_backend(pid) as cut from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`;
      if (cut.length === 0) await sleep(20);
    }
    // Every other backend goes too, as in a restart; the retry must not draw one of them from the pool.
    await holder`select pg_terminate_backend(pid) from pg_stat_activity
                  where datname = current_database() and pid <> pg_backend_pid()`;
    await holder`rollback`;
    holder.release();
    expect(cut).toEqual([{ cut: true }]);
    expect(await cutOff).toMatchObject({ status: 200, body: { balance: Number(before!.balance) - 1 } });
    expect((await spendOnce(h.url, a.key, 'after-outage', 1, 5_000)).status).toBe(200);
    expect(await expectLedgerConsistent(observer.db, a.accountId)).toBe(Number(before!.balance) - 2);
    expect((await spentKeys(observer.db, a.accountId)).has('cut-off')).toBe(true);
  });

  // Postgres closes connections while their transactions sit idle between statements. The batch's next
  // statement must fail fast (patches/postgres@3.4.9.patch) and the batch run again on a fresh connection; the
  // spend queue's deadline (5 s) is the last resort should a statement still never settle.
  it("a connection lost between a batch's statements: every spend caller answered, the next spend within 25 s", async () => {
    const { h, observer, a } = await setup();
    let stop = false;
    const load = spendLoad({
      targets: [{ url: h.url, apiKey: a.key }],
      workers: 12,
      amount: 1,
      prefix: 'idle-tx',
      until: () => stop,
      timeoutMs: 25_000,
    });
    const killer = (async () => {
      while (!stop) {
        await observer.sql!`select pg_terminate_backend(pid) from pg_stat_activity
                             where datname = current_database() and state = 'idle in transaction'`;
      }
    })();
    await sleep(800);
    stop = true;
    const [outcomes] = await Promise.all([load, killer]);
    const next = await spendOnce(h.url, a.key, 'after-outage', 1, 25_000);
    expect(outcomes.filter((o) => o.status === null)).toEqual([]);
    expect(next.status).toBe(200);
  });
});
