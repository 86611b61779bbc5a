import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseHandle, openDatabase, schema } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../harness';
import { expectLedgerConsistent, grantCredits } from '../ledger';
import { findInvariantViolations } from './invariants';
import { spendOnce } from './load';
import { spentKeys } from './process-accounts';

const FREE_ALLOWANCE = 50_000;
const CREDITS = 1_000_000;
const SPEND = 3;
const SPENDERS = 12;
// The spend queue runs a batch up to three times, each within its 5 s deadline: a caller still waiting past
// this was left hanging.
const ANSWER_WITHIN_MS = scaled(20_000);
// Two events a batch, well inside the free plan's 1,000 events: every one of them must be accepted.
const MAX_USAGE_BATCHES = 400;
const INTERNAL_ERROR = { error: 'Internal server error', code: 'internal' };

interface Call {
  kind: 'spend' | 'usage';
  /** The spend's idempotency key, or the usage batch's event ids. */
  key: string;
  events: string[];
  startedAt: number;
  endedAt: number;
  /** null: no answer within ANSWER_WITHIN_MS. */
  status: number | null;
  body: unknown;
}

/** Polls `done` until it holds; fails naming what it waited for once the scaled budget is spent. */
async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + scaled(15_000);
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${scaled(15_000)} ms`);
    await sleep(10);
  }
}

async function recordUsage(h: Harness, key: string, ids: string[]): Promise<{ status: number | null; body: unknown }> {
  try {
    const res = await fetch(`${h.url}/api/billing/usage/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: ids.map((id) => ({ id, metric: 'events', quantity: 1 })) }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return { status: null, body: null };
  }
}

/** SPENDERS spend callers and, with `usage`, one usage recorder calling until stopped; every call kept with its timing. */
function startCallers(h: Harness, apiKey: string, prefix: string, opts: { usage: boolean }) {
  const calls: Call[] = [];
  let stop = false;
  const spender = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const startedAt = Date.now();
      const o = await spendOnce(h.url, apiKey, `${prefix}-${w}-${n}`, SPEND, ANSWER_WITHIN_MS);
      calls.push({ kind: 'spend', events: [], startedAt, endedAt: Date.now(), ...o });
    }
  };
  const recorder = async () => {
    for (let b = 0; !stop && b < MAX_USAGE_BATCHES; b++) {
      const events = [`${prefix}-u${b}-a`, `${prefix}-u${b}-b`];
      const startedAt = Date.now();
      const answer = await recordUsage(h, apiKey, events);
      calls.push({ kind: 'usage', key: events.join(','), events, startedAt, endedAt: Date.now(), ...answer });
    }
  };
  const running = Promise.all([
    ...Array.from({ length: SPENDERS }, (_, w) => spender(w)),
    ...(opts.usage ? [recorder()] : []),
  ]);
  const answered = (kind: Call['kind'], since: number) =>
    calls.filter((c) => c.kind === kind && c.status === 200 && c.startedAt >= since).length;
  return {
    calls,
    /** Spends (and usage) answered 200, counting calls started at `since` or later. */
    progressed: (since: number) =>
      answered('spend', since) >= SPENDERS && (!opts.usage || answered('usage', since) >= 2),
    stop: async () => {
      stop = true;
      await running;
      return calls;
    },
  };
}

/** Waits until every backend in `pids` has exited: a backend told to terminate has really gone. */
async function gone(observer: DatabaseHandle, pids: number[]): Promise<void> {
  await until(`backends ${pids.join(', ')} to exit`, async () => {
    const left = await observer.sql!`select pid from pg_stat_activity where pid = any(${pids}::int[])`;
    return left.length === 0;
  });
}

/**
 * Terminates the service's backends that are running a statement or holding a transaction open at one instant,
 * trying again until there is one. `from`..`to` spans the terminate call to the backends' exit.
 */
async function cutBusyBackends(observer: DatabaseHandle) {
  let from = 0;
  let pids: number[] = [];
  await until('a busy backend to cut', async () => {
    from = Date.now();
    const rows = await observer.sql!<{ pid: number; cut: boolean }[]>`
      select pid, pg_terminate_backend(pid) as cut from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
         and state <> 'idle'`;
    pids = rows.filter((r) => r.cut).map((r) => r.pid);
    return pids.length > 0;
  });
  await gone(observer, pids);
  return { pids, from, to: Date.now() };
}

async function countedEvents(observer: DatabaseHandle, accountId: string): Promise<Set<string>> {
  const rows = await observer.db
    .select({ id: schema.usageEvents.eventId })
    .from(schema.usageEvents)
    .where(eq(schema.usageEvents.accountId, accountId));
  return new Set(rows.map((r) => r.id));
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

/** Every spend answered 200 is in the ledger once, and the ledger adds up. */
async function expectSpendsKept(observer: DatabaseHandle, accountId: string, calls: Call[]): Promise<void> {
  const inLedger = await spentKeys(observer.db, accountId);
  expect(calls.filter((c) => c.kind === 'spend' && c.status === 200 && !inLedger.has(c.key))).toEqual([]);
  expect(await expectLedgerConsistent(observer.db, accountId)).toBe(CREDITS - SPEND * (inLedger.size - 1));
}

/** A usage batch answered 200 counted all its events; one answered 500 counted all or none, and its retry settles it. */
async function expectUsageKept(h: Harness, observer: DatabaseHandle, apiKey: string, accountId: string, calls: Call[]) {
  const batches = calls.filter((c) => c.kind === 'usage');
  const counted = await countedEvents(observer, accountId);
  const results = (ids: string[], status: string) => ({
    results: ids.map((id) => expect.objectContaining({ id, status })),
    refused: 0,
  });
  for (const c of batches.filter((c) => c.status === 200)) {
    expect(c.body).toEqual(results(c.events, 'accepted'));
    expect(c.events.filter((id) => !counted.has(id))).toEqual([]);
  }
  for (const c of batches.filter((c) => c.status === 500)) {
    const kept = c.events.filter((id) => counted.has(id));
    expect([0, c.events.length]).toContain(kept.length);
    const retry = await recordUsage(h, apiKey, c.events);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(results(c.events, kept.length > 0 ? 'duplicate' : 'accepted'));
  }
  expect(await countedEvents(observer, accountId)).toEqual(new Set(batches.flatMap((c) => c.events)));
}

const describeOnPostgres = describe.runIf(testDatabaseKinds().includes('postgres'));

// Only a real server has connections to cut.
describeOnPostgres('database connections lost mid-request, on postgres', () => {
  const setup = useOutageHarness();

  it('busy backends cut under load: every caller answered, 500 only for calls caught by the cut, nothing half-written', async () => {
    const { h, observer, a } = await setup();
    const callers = startCallers(h, a.key, 'loss', { usage: true });
    await until('spends and usage answered before the cut', () => callers.progressed(0));
    const cut = await cutBusyBackends(observer);
    await until('spends and usage answered after the cut', () => callers.progressed(cut.to));
    const calls = await callers.stop();

    expect(calls.filter((c) => c.status === null)).toEqual([]);
    // What a cut may cost: a call in flight while the backends were being cut may answer 500 with the contract's
    // body (a spend batch runs again on a fresh connection, other statements do not). Every other call answers 200.
    const caught = (c: Call) => c.startedAt <= cut.to && c.endedAt >= cut.from;
    const failed = calls.filter((c) => c.status !== 200);
    expect(failed.filter((c) => c.status !== 500 || !caught(c))).toEqual([]);
    for (const c of failed) expect(c.body).toEqual(INTERNAL_ERROR);
    await expectSpendsKept(observer, a.accountId, calls);
    await expectUsageKept(h, observer, a.key, a.accountId, calls);
    expect(await findInvariantViolations(observer.db)).toEqual([]);
    const count = (kind: Call['kind']) => calls.filter((c) => c.kind === kind).length;
    process.stdout.write(
      `connection loss: ${cut.pids.length} backends cut, ${count('spend')} spends, ${count('usage')} usage batches, ` +
        `${failed.length} answered 500 (${failed.map((c) => c.kind).join(', ')}), 0 unanswered\n`,
    );
  });
});

describeOnPostgres('spends after a database outage, on postgres', () => {
  const setup = useOutageHarness();

  it('a spend batch cut mid-transaction runs again on a fresh connection: answered 200, spent once', async () => {
    const { h, observer, a } = await setup();
    // The batch is provably mid-transaction: it waits for the balance row this connection holds.
    const holder = await observer.sql!.reserve();
    let cut: number[] = [];
    let before = 0;
    let cutOff: ReturnType<typeof spendOnce> | undefined;
    try {
      await holder`begin`;
      const [row] = await holder`select balance from credit_balances where account_id = ${a.accountId} for update`;
      before = Number(row!.balance);
      cutOff = spendOnce(h.url, a.key, 'cut-off', 1, ANSWER_WITHIN_MS);
      await until('the spend batch to wait for the balance row', async () => {
        // Inside a transaction pg_stat_activity is read once and kept: each look needs a fresh snapshot.
        await holder`select pg_stat_clear_snapshot()`;
        const rows = await holder<{ pid: number; cut: boolean }[]>`
          select pid, pg_terminate_backend(pid) as cut from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`;
        cut = rows.filter((r) => r.cut).map((r) => r.pid);
        return rows.length > 0;
      });
      // Every other backend goes too, as in a restart; the retry must not draw one of them from the pool.
      await holder`select pg_terminate_backend(pid) from pg_stat_activity
                    where datname = current_database() and pid <> pg_backend_pid()`;
    } finally {
      await holder`rollback`;
      holder.release();
    }
    expect(cut).toHaveLength(1);
    await gone(observer, cut);
    expect(await cutOff).toMatchObject({ status: 200, body: { balance: before - 1 } });
    expect((await spendOnce(h.url, a.key, 'after-outage', 1, ANSWER_WITHIN_MS)).status).toBe(200);
    expect(await expectLedgerConsistent(observer.db, a.accountId)).toBe(before - 2);
    expect((await spentKeys(observer.db, a.accountId)).has('cut-off')).toBe(true);
  });

  // Postgres closes connections while their transactions sit idle between statements. The batch's next
  // statement must fail fast (patches/postgres@3.4.9.patch) and the batch run again on a fresh connection; the
  // spend queue's deadline (5 s) is the last resort should a statement still never settle.
  it("connections lost between a batch's statements: every spend caller answered in time, the next spend too", async () => {
    const { h, observer, a } = await setup();
    const callers = startCallers(h, a.key, 'idle-tx', { usage: false });
    const killed: number[] = [];
    let firstKill = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        const rows = await observer.sql!<{ pid: number }[]>`
          select pid from (select pid, pg_terminate_backend(pid) as cut from pg_stat_activity
                            where datname = current_database() and pid <> pg_backend_pid()
                              and state = 'idle in transaction') x where cut`;
        if (rows.length > 0 && firstKill === 0) firstKill = Date.now();
        killed.push(...rows.map((r) => r.pid));
      }
    })();
    await until('a backend cut between statements', () => killed.length > 0);
    await until(
      'spends answered after the first cut',
      () => callers.calls.filter((c) => c.startedAt >= firstKill).length >= SPENDERS,
    );
    stop = true;
    const [calls] = await Promise.all([callers.stop(), killer]);
    await gone(observer, killed);

    expect(calls.filter((c) => c.status === null)).toEqual([]);
    // A batch that loses its connection on every one of its tries answers 500; nothing else is allowed.
    const failed = calls.filter((c) => c.status !== 200);
    expect(failed.filter((c) => c.status !== 500)).toEqual([]);
    for (const c of failed) expect(c.body).toEqual(INTERNAL_ERROR);
    await expectSpendsKept(observer, a.accountId, calls);
    expect((await spendOnce(h.url, a.key, 'after-outage', SPEND, ANSWER_WITHIN_MS)).status).toBe(200);
    process.stdout.write(
      `idle in transaction: ${killed.length} backends cut, ${calls.length} spends, ${failed.length} answered 500\n`,
    );
  });
});
