import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, schema } from '@contox/db';
import { createTestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../src/spawn-server';

const bootstrapKey = 'contox_sk_fixedkeyfortests00000001';

type Started = SpawnedServer;
const startServer = (env: Record<string, string>) => spawnServer(env);
const stop = (s: Started) => s.stop();

const getCredits = (s: Started, key = s.apiKey) =>
  fetch(`${s.url}/api/billing/credits`, { headers: { authorization: `Bearer ${key}` } });

describe('the start command, embedded Postgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'contox-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the URL, a working demo key and a sign-in link, and keeps data and the key across a restart', async () => {
    const first = await startServer({ DATA_DIR: dataDir });
    expect(first.output()).toMatch(/Sign in:\s+http:\/\/localhost:\d+\/auth\/sign-in\?token=\S+/);
    const res = await getCredits(first);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ balance: 0, transactions: [] });
    const health = await fetch(`${first.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'embedded' });
    const page = await fetch(first.url);
    expect(await page.text()).toContain('<div id="root">');
    await stop(first);

    // Write to the data folder while no server holds it, then check a restart sees it.
    const db = await openDatabase({ dataDir: join(dataDir, 'pg') });
    const [owner] = await db.db.select().from(schema.members).where(eq(schema.members.role, 'owner'));
    await db.db.insert(schema.creditTransactions).values({
      id: 'txn_restart_check',
      accountId: owner!.accountId,
      type: 'grant',
      amount: 1234,
      description: 'written between restarts',
      balanceAfter: 1234,
    });
    await db.db
      .update(schema.creditBalances)
      .set({ balance: 1234 })
      .where(eq(schema.creditBalances.accountId, owner!.accountId));
    await db.close();

    const second = await startServer({ DATA_DIR: dataDir });
    const again = (await (await getCredits(second)).json()) as { balance: number; transactions: { id: string }[] };
    expect(again.balance).toBe(1234);
    expect(again.transactions.map((t) => t.id)).toEqual(['txn_restart_check']);
    // The demo key is kept: a script written against the first start's key still works.
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.output()).not.toContain(/Sign in:\s+(\S+)/.exec(first.output())![1]);
    await stop(second);
  });
});

describe.runIf(testDatabaseKinds().includes('postgres'))('the start command, DATABASE_URL', () => {
  it('migrates a real server, honours BILLING_BOOTSTRAP_API_KEY and serves the credits', async () => {
    const target = await createTestDatabase('postgres');
    // The server migrates by itself: hand it the URL of an emptied database.
    await target.sql!.unsafe(
      'drop schema public cascade; create schema public; drop schema if exists drizzle cascade;',
    );
    try {
      const s = await startServer({ DATABASE_URL: target.url!, BILLING_BOOTSTRAP_API_KEY: bootstrapKey });
      expect(s.apiKey).toBe(bootstrapKey);
      expect(s.output()).toContain('Database:     Postgres at 127.0.0.1:5432');
      const res = await getCredits(s);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        balance: 0,
        autoRecharge: {
          enabled: false,
          threshold: 500000,
          packId: 'credits_2_5m',
          spendingLimit: 5000,
          status: 'active',
          pausedReason: null,
        },
        alerts: { threshold: null },
        transactions: [],
      });
      await stop(s);
    } finally {
      await target.close();
    }
  });
});
