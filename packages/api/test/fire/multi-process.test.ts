import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectLedgerConsistent, grantCredits } from '../ledger';
import { findInvariantViolations } from './invariants';
import { spendOnce } from './load';
import { accountOfKey, spentKeys } from './process-accounts';
import { type ServerProcess, startServerProcess, stopServerProcess } from './server-process';

const KEY = 'contox_sk_fire_three_processes_00001';
const FREE_ALLOWANCE = 50_000;
const CREDITS = 200;
const SPENDS = 300;
const EVENTS = 300;
const SESSIONS = 30;
const FREE_SESSIONS = 20;

async function recordUsage(url: string, events: { id: string; metric: string; quantity: number }[]) {
  const res = await fetch(`${url}/api/billing/usage/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const { results } = (await res.json()) as { results: { id: string; status: string }[] };
  // A call whose every event is refused answers 402, with the same per-event results.
  expect(res.status).toBe(results.every((r) => r.status === 'refused') ? 402 : 200);
  return results;
}

describe.runIf(testDatabaseKinds().includes('postgres'))('three server processes on one Postgres', () => {
  let db: TestDatabase;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    // An empty database: the three processes migrate and seed it at the same time, as a fresh deploy would.
    await db.sql!.unsafe('drop schema public cascade; create schema public; drop schema if exists drizzle cascade;');
    servers = await Promise.all(
      [1, 2, 3].map(() => startServerProcess({ DATABASE_URL: db.url!, BILLING_BOOTSTRAP_API_KEY: KEY })),
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => stopServerProcess(s)));
    await db?.close();
  });

  it('start together on an empty database: one schema, one demo account, the same key everywhere', async () => {
    const accounts = await db.sql!`select count(*)::int as n from accounts`;
    expect(accounts[0]!.n).toBe(1);
    for (const s of servers) expect(s.apiKey).toBe(KEY);
  });

  it('concurrent spends and usage on one account through all three: exact totals, each key and event once', async () => {
    const accountId = await accountOfKey(db.db, KEY);
    expect((await spendOnce(servers[0]!.url, KEY, 'drain-allowance', FREE_ALLOWANCE)).status).toBe(200);
    await grantCredits(db.db, accountId, CREDITS);

    // Every spend key is sent to two different processes at once; 300 keys of 1 token on 200 tokens.
    const spends = Array.from({ length: SPENDS }, (_, i) => `multi-${i}`);
    const sends = spends.flatMap((key, i) => [
      { url: servers[i % 3]!.url, key },
      { url: servers[(i + 1) % 3]!.url, key },
    ]);
    // Every usage event id is sent to all three processes; sessions past the free plan's 20 are refused.
    const usage = Array.from({ length: EVENTS }, (_, i) => ({ id: `ev-${i}`, metric: 'events', quantity: 1 }));
    const sessions = Array.from({ length: SESSIONS }, (_, i) => ({ id: `sess-${i}`, metric: 'sessions', quantity: 1 }));
    let next = 0;
    const [spendOutcomes] = await Promise.all([
      Promise.all(
        Array.from({ length: 24 }, async () => {
          const out = [];
          while (next < sends.length) {
            const s = sends[next++]!;
            out.push(await spendOnce(s.url, KEY, s.key, 1));
          }
          return out;
        }),
      ).then((o) => o.flat()),
      ...servers.flatMap((s) => [
        ...Array.from({ length: 10 }, (_, c) => recordUsage(s.url, usage.slice(c * 30, c * 30 + 30))),
        ...sessions.map((e) => recordUsage(s.url, [e])),
      ]),
    ]);

    expect(spendOutcomes.filter((o) => o.status !== 200 && o.status !== 402)).toEqual([]);
    const byKey = new Map<string, Set<number>>();
    for (const o of spendOutcomes) byKey.set(o.key, new Set([...(byKey.get(o.key) ?? []), o.status!]));
    // Both sends of a key get the same answer: it was spent once, or refused.
    expect([...byKey.values()].filter((s) => s.size !== 1)).toEqual([]);
    const spent = [...byKey].filter(([, s]) => s.has(200)).map(([k]) => k);
    expect(spent).toHaveLength(CREDITS);
    expect((await spentKeys(db.db, accountId)).size).toBe(CREDITS + 1);
    expect(await expectLedgerConsistent(db.db, accountId)).toBe(0);

    const res = await fetch(`${servers[2]!.url}/api/billing/usage`, { headers: { authorization: `Bearer ${KEY}` } });
    const view = (await res.json()) as { usage: { events: { used: number }; sessions: { used: number } } };
    expect(res.status, servers[2]!.output().slice(-2000)).toBe(200);
    expect(view.usage.events.used).toBe(EVENTS);
    expect(view.usage.sessions.used).toBe(FREE_SESSIONS);
    expect(await findInvariantViolations(db.db)).toEqual([]);
  });
});
