import { createTestDatabase, scaled, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { type SpawnedServer, spawnServer } from '@contox/server/spawn';
import { EmulatorControl } from '@contox/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingApiError, type BillingClient, createBillingClient, ok } from '../src/index';

// The client as another program uses it: the real server in its own process, reached over HTTP only. The
// server's own Stripe emulator stands in for Stripe; its control API plays the payer on the checkout page.
describe.runIf(testDatabaseKinds().includes('postgres'))('the client against a running server', () => {
  let db: TestDatabase;
  let server: SpawnedServer;
  let billing: BillingClient;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    server = await spawnServer({ DATABASE_URL: db.url!, BILLING_DEMO: '1', LOG_LEVEL: 'error' });
    billing = createBillingClient({ baseUrl: server.url, apiKey: server.apiKey });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  it('reads the public catalogue without a key', async () => {
    const anonymous = createBillingClient({ baseUrl: server.url });
    const { plans, packs } = await ok(anonymous.api.GET('/api/billing/plans'));
    expect(plans.map((p) => p.id)).toContain('team');
    expect(packs.map((p) => p.id)).toContain('credits_1m');
  });

  it('subscribes, buys a pack, spends it, and reads each refusal as a typed error with its code', async () => {
    const { url } = await ok(billing.api.POST('/api/billing/checkout', { body: { planId: 'team', seats: 2 } }));
    const emulator = /Stripe emulator at (\S+)/.exec(server.output())?.[1];
    const control = new EmulatorControl(emulator!);
    await control.completeCheckout(/\/c\/pay\/(cs_[^/?#]+)/.exec(url)![1]!, '4242424242424242');
    expect(await control.waitForWebhooks(scaled(15_000))).toBe(true);
    expect((await ok(billing.api.GET('/api/billing/subscription'))).plan).toBe('team');

    const before = (await ok(billing.api.GET('/api/billing/credits', { params: { query: { limit: 1 } } }))).balance;
    const bought = await billing.purchase('credits_1m', { idempotencyKey: 'client-test-order-1' });
    expect(bought.balance).toBe(before + 1_000_000);
    // The same key again: the first answer, not a second charge.
    expect(await billing.purchase('credits_1m', { idempotencyKey: 'client-test-order-1' })).toEqual(bought);

    const spent = await billing.spend({ amount: 1_000, description: 'Enrichment - session sess_client' });
    expect(spent.fromAllowance + spent.fromCredits).toBe(1_000);

    const refused = await billing.spend({ amount: 1_000_000_000_000, description: 'too much' }).catch((e) => e);
    expect(refused).toBeInstanceOf(BillingApiError);
    expect(refused).toMatchObject({ status: 402, code: 'insufficient_credits' });
    expect((refused as BillingApiError).requestId).toBeTruthy();

    const stranger = createBillingClient({ baseUrl: server.url, apiKey: 'contox_sk_nobody' });
    await expect(ok(stranger.api.GET('/api/billing/credits'))).rejects.toMatchObject({
      status: 401,
      code: 'unauthenticated',
    });
    const { error, response } = await billing.api.POST('/api/billing/credits/purchase', {
      body: { packId: 'no_such_pack' },
    });
    expect(response.status).toBe(400);
    expect(error?.code).toBe('validation_failed');
  });
});
