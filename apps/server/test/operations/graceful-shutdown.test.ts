import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';
import { schema } from '@contox/db';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../../src/spawn-server';
import { eventually, exitCodeOf, ok } from './helpers';

const KEY = 'contox_sk_graceful_shutdown_000001';
const IN_FLIGHT = 20;
const FREE_ALLOWANCE = 50_000;
const CREDITS = 1_000;

interface Sent {
  /** Resolves once the whole request is written to the server's connection (or could not be). */
  written: Promise<void>;
  answer: Promise<{ status: number | null; headers: IncomingHttpHeaders; reused: boolean }>;
}

/** One spend over a connection of `agent`; a reset or refused connection is an answer with status null. */
function spend(agent: Agent, url: string, key: string): Sent {
  const body = JSON.stringify({ amount: 1, description: 'Enrichment - shutdown', idempotencyKey: key });
  const req = request(`${url}/api/billing/credits/spend`, {
    agent,
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  // Or failed: a refused or reset connection ends the request without writing it.
  const written = new Promise<void>((resolve) => {
    req.once('finish', resolve);
    req.once('close', resolve);
  });
  const answer = new Promise<{ status: number | null; headers: IncomingHttpHeaders; reused: boolean }>((resolve) => {
    req.once('response', (res) => {
      res.resume();
      res.once('end', () =>
        resolve({ status: res.statusCode ?? null, headers: res.headers, reused: req.reusedSocket }),
      );
    });
    req.once('error', () => resolve({ status: null, headers: {}, reused: req.reusedSocket }));
  });
  req.end(body);
  return { written, answer };
}

/** Opens `count` connections to the server and has each serve one request, so they are accepted and open. */
async function warmUp(agent: Agent, url: string, count: number): Promise<void> {
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          request(`${url}/healthz`, { agent }, (res) => res.resume().once('end', resolve))
            .once('error', reject)
            .end();
        }),
    ),
  );
}

/** True once nothing listens on the port any more: a new connection is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe.runIf(testDatabaseKinds().includes('postgres'))('SIGTERM with spends in flight, on postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db?.close());

  const grant = (accountId: string) =>
    db.db.transaction(async (tx) => {
      await tx.insert(schema.creditTransactions).values({
        id: 'txn_graceful_grant',
        accountId,
        type: 'grant',
        amount: CREDITS,
        description: 'credits for the shutdown test',
        balanceAfter: CREDITS,
      });
      await tx
        .update(schema.creditBalances)
        .set({ balance: CREDITS })
        .where(eq(schema.creditBalances.accountId, accountId));
    });

  /** A statement of the server is waiting for a lock this test holds. */
  const waitingForLock = async () => {
    const [row] = await db.sql!<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    return (row?.n ?? 0) > 0;
  };

  /** Runs `statement` in a transaction of the test and keeps it open (its locks held) until `letGo`. */
  async function holding(statement: string, params: string[] = []) {
    let letGo!: () => void;
    let held!: () => void;
    const taken = new Promise<void>((resolve) => {
      held = resolve;
    });
    const done = db.sql!.begin(async (tx) => {
      await tx.unsafe(statement, params);
      held();
      await new Promise<void>((resolve) => {
        letGo = resolve;
      });
    });
    await taken;
    return {
      letGo: () => {
        letGo();
        return done;
      },
    };
  }

  it(`stops taking connections, answers and commits all ${IN_FLIGHT} spends, then exits 0`, async () => {
    const server = await spawnServer({
      DATABASE_URL: db.url!,
      BILLING_BOOTSTRAP_API_KEY: KEY,
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    const port = Number(new URL(server.url).port);
    const { account } = await ok<{ account: { id: string } }>(server, 'GET', '/api/account');
    await ok(server, 'POST', '/api/billing/credits/spend', {
      amount: FREE_ALLOWANCE,
      description: 'the allowance',
      idempotencyKey: 'allowance',
    });
    await grant(account.id);
    // One connection more than there are spends: it stays idle until the server is stopping.
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT + 1 });
    await warmUp(agent, server.url, IN_FLIGHT + 1);

    // The test holds the account's balance row, so the spends stay in flight until it lets go.
    const hold = await holding('select balance from credit_balances where account_id = $1 for update', [account.id]);
    const spends = Array.from({ length: IN_FLIGHT }, (_, i) => spend(agent, server.url, `in-flight-${i}`));
    await Promise.all(spends.map((s) => s.written));
    expect(await eventually(waitingForLock, 30_000), 'no spend batch reached the database').toBe(true);

    server.child.kill('SIGTERM');
    // As a terminal's Ctrl-C arrives twice under `npm start`: the second signal changes nothing.
    server.child.kill('SIGINT');
    expect(await eventually(() => refused(port), 30_000), 'still taking connections after SIGTERM').toBe(true);
    // A request already on its way over an open connection when the server began stopping is not reset.
    const late = spend(agent, server.url, 'in-flight-late');
    await late.written;
    await hold.letGo();

    const answers = await Promise.all([...spends, late].map((s) => s.answer));
    expect(answers.map((a) => a.reused)).toEqual(answers.map(() => true));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    // Answered while stopping: the client is told not to send more on that connection.
    expect(answers.map((a) => a.headers.connection)).toEqual(answers.map(() => 'close'));
    expect(await exitCodeOf(server)).toBe(0);
    agent.destroy();

    const refs = await db.db
      .select({ ref: schema.creditTransactions.externalRef })
      .from(schema.creditTransactions)
      .where(eq(schema.creditTransactions.accountId, account.id));
    const spent = refs.map((r) => r.ref).filter((ref) => ref?.includes(':in-flight-'));
    const keys = [...spends.map((_, i) => `in-flight-${i}`), 'in-flight-late'];
    expect(spent.sort()).toEqual(keys.map((k) => `spend:${account.id}:${k}`).sort());
    const [balance] = await db.db
      .select({ balance: schema.creditBalances.balance })
      .from(schema.creditBalances)
      .where(eq(schema.creditBalances.accountId, account.id));
    expect(balance?.balance).toBe(CREDITS - keys.length);
  });

  it('a request that outlasts the shutdown budget is cut off, and the server exits 1 anyway, saying so', async () => {
    // The limit of the test before: replicas of one deployment share it (that server's lease of the key's window
    // is counted there, and would put this one, at the default limit, over it).
    const server = await spawnServer({
      DATABASE_URL: db.url!,
      BILLING_BOOTSTRAP_API_KEY: KEY,
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    // A lock nobody releases in time: saving the auto-recharge settings waits on it for good.
    const hold = await holding('lock table auto_recharge_settings in exclusive mode');
    const stuck = fetch(`${server.url}/api/billing/credits/auto-recharge`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false, threshold: 500_000, packId: 'credits_2_5m', spendingLimit: 5_000 }),
    }).then(
      (res) => res.status,
      () => null,
    );
    expect(await eventually(waitingForLock, 30_000), 'the request never reached the database').toBe(true);

    server.child.kill('SIGTERM');
    expect(await exitCodeOf(server)).toBe(1);
    expect(await stuck, 'the stuck request was answered').toBe(null);
    expect(server.output()).toMatch(/"requests":1,.*"msg":"requests still running when the shutdown budget ran out/);
    await hold.letGo();
  });
});
