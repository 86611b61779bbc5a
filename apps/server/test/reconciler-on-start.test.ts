import { setTimeout as sleep } from 'node:timers/promises';
import { createAccount } from '@contox/api';
import { schema } from '@contox/db';
import { createTestDatabase, scaled, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../src/spawn-server';

// A payment left pending (a purchase whose answer was lost while Stripe was down, a process that died
// mid-charge) is settled by the server itself: the reconciler runs on start, then every few minutes.
describe.runIf(testDatabaseKinds().includes('postgres'))('the server settles payments left pending', () => {
  it('on start, fails a payment pending for 20 minutes that Stripe never received, and leaves a recent one', async () => {
    const db = await createTestDatabase('postgres');
    let server: SpawnedServer | undefined;
    try {
      const { accountId } = await createAccount(db.db, {
        name: 'Pending',
        ownerEmail: 'pending@example.com',
        ownerName: 'Owner',
        createdAt: new Date(),
      });
      const payment = (id: string, ageMs: number) => ({
        id,
        accountId,
        kind: 'purchase' as const,
        packId: 'credits_1m',
        tokens: 1_000_000,
        price: 500,
        status: 'pending' as const,
        periodStart: new Date(),
        createdAt: new Date(Date.now() - ageMs),
        updatedAt: new Date(Date.now() - ageMs),
      });
      await db.db.insert(schema.creditPayments).values([payment('pay_stale', 20 * 60_000), payment('pay_recent', 0)]);

      server = await spawnServer({ DATABASE_URL: db.url! });
      const statusOf = async (id: string) =>
        (await db.db.select().from(schema.creditPayments).where(eq(schema.creditPayments.id, id)))[0]!.status;
      const deadline = Date.now() + scaled(20_000);
      while ((await statusOf('pay_stale')) === 'pending') {
        expect(Date.now(), `the stale payment was never settled:\n${server.output()}`).toBeLessThan(deadline);
        await sleep(50);
      }
      expect(await statusOf('pay_stale')).toBe('failed');
      expect(await statusOf('pay_recent')).toBe('pending');
    } finally {
      await server?.stop();
      await db.close();
    }
  });
});
