import { createTestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../src/spawn-server';

// The operators' test clock as the server offers it: with the built-in Stripe emulator, the billing clock is the
// emulator's and POST /api/dev/clock/advance moves both; with real Stripe configured there is no such endpoint.

const DAY = 86_400;

async function advance(server: SpawnedServer, seconds: number) {
  const res = await fetch(`${server.url}/api/dev/clock/advance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  return { status: res.status, body: (await res.json()) as { now?: string; error?: string } };
}

describe.runIf(testDatabaseKinds().includes('postgres'))('the test clock of a running server', () => {
  it('moves the service and its emulator together by the seconds asked', async () => {
    const db = await createTestDatabase('postgres');
    let server: SpawnedServer | undefined;
    try {
      server = await spawnServer({ DATABASE_URL: db.url! });
      const before = Date.now();
      const moved = await advance(server, 40 * DAY);
      expect(moved.status, server.output()).toBe(200);
      const now = Date.parse(moved.body.now!);
      expect(now - before).toBeGreaterThanOrEqual(40 * DAY * 1000 - 1_000);
      expect(now - Date.now()).toBeLessThanOrEqual(40 * DAY * 1000 + 1_000);
      // The service's own answers are dated on the moved clock: a free period anchored on the demo account.
      const usage = await fetch(`${server.url}/api/billing/usage`, {
        headers: { authorization: `Bearer ${server.apiKey}` },
      });
      const period = ((await usage.json()) as { period: { start: string; end: string } }).period;
      expect(Date.parse(period.start)).toBeLessThanOrEqual(now);
      expect(now).toBeLessThan(Date.parse(period.end));
    } finally {
      await server?.stop();
      await db.close();
    }
  });

  it('is not there when the server bills through real Stripe (404 naming why)', async () => {
    const db = await createTestDatabase('postgres');
    let server: SpawnedServer | undefined;
    try {
      // A key that is never used: nothing here reaches Stripe.
      server = await spawnServer({
        DATABASE_URL: db.url!,
        STRIPE_SECRET_KEY: 'sk_test_never_called',
        STRIPE_WEBHOOK_SECRET: 'whsec_never_called',
      });
      const refused = await advance(server, 60);
      expect(refused.status, server.output()).toBe(404);
      expect(refused.body.error).toMatch(/only with the Stripe emulator/);
    } finally {
      await server?.stop();
      await db.close();
    }
  });
});
