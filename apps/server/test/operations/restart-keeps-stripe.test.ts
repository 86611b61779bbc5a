import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaled } from '@contox/db/testing';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../../src/spawn-server';
import { GOOD_CARD, call, controlOf, emulatorUrlOf, exitCodeOf, ok, sessionIdOf } from './helpers';

// The default setup (embedded Postgres, built-in Stripe emulator) keeps customer and subscription ids in the
// database; the emulator must keep the objects they name, or every paid account breaks on the first restart.

const dirs: string[] = [];
const servers: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'contox-restart-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<SpawnedServer> {
  const server = await spawnServer({ DATA_DIR: dir });
  servers.push(server);
  return server;
}

/** SIGTERM, as an operator's restart sends it; a clean stop exits 0. */
async function restart(server: SpawnedServer, dir: string): Promise<SpawnedServer> {
  server.child.kill('SIGTERM');
  expect(await exitCodeOf(server)).toBe(0);
  return start(dir);
}

/** The Stripe SDK against a server's built-in emulator, as the server itself reaches it. */
function stripeOf(server: SpawnedServer): Stripe {
  const url = new URL(emulatorUrlOf(server));
  return new Stripe('sk_test_restart', { host: url.hostname, port: Number(url.port), protocol: 'http' });
}

/** A payment retried under its idempotency key, as the service retries one whose answer it lost. */
const chargeOnce = (server: SpawnedServer, customer: string) =>
  stripeOf(server).paymentIntents.create(
    { amount: 500, currency: 'eur', customer },
    { idempotencyKey: 'restart-retry-1' },
  );

async function subscribe(server: SpawnedServer): Promise<string> {
  const { url } = await ok<{ url: string }>(server, 'POST', '/api/billing/checkout', { planId: 'personal' });
  await controlOf(server).completeCheckout(sessionIdOf(url), GOOD_CARD);
  return url;
}

describe('a restart on the same data folder, built-in Stripe emulator', () => {
  it('a paid account keeps working: summary, purchase, portal and cancel answer 2xx after it', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await subscribe(first);
    expect(await controlOf(first).waitForWebhooks(scaled(30_000))).toBe(true);
    expect(await ok(first, 'GET', '/api/billing/subscription')).toMatchObject({ plan: 'personal', status: 'active' });
    await ok(first, 'POST', '/api/billing/credits/purchase', { packId: 'credits_1m' });
    const [customer] = (await stripeOf(first).customers.list({ limit: 1 })).data;
    const intent = await chargeOnce(first, customer!.id);

    const second = await restart(first, dir);
    // Stripe honours an idempotency key for a day, restart or not: the retry must not make a second payment.
    expect((await chargeOnce(second, customer!.id)).id).toBe(intent.id);
    const summary = await ok<{ balance: number }>(second, 'GET', '/api/billing/credits/summary');
    expect(summary.balance).toBe(1_000_000);
    const bought = await ok<{ balance: number }>(second, 'POST', '/api/billing/credits/purchase', {
      packId: 'credits_1m',
    });
    expect(bought.balance).toBe(2_000_000);
    const portal = await ok<{ url: string }>(second, 'POST', '/api/billing/portal', {});
    expect((await fetch(portal.url)).status).toBe(200);
    expect(await ok(second, 'POST', '/api/billing/cancel', {})).toMatchObject({ status: 'cancelled' });
    expect(await ok(second, 'GET', '/api/billing/subscription')).toMatchObject({
      plan: 'personal',
      cancelAtPeriodEnd: true,
    });
  });

  it('events the server had not acknowledged are delivered after it, and pages opened before it still answer', async () => {
    const dir = dataDir();
    const first = await start(dir);
    // The server misses every event of the checkout (as when it was failing or stopping at that moment).
    await controlOf(first).dropNext(1_000);
    const checkoutUrl = await subscribe(first);
    expect((await ok(first, 'GET', '/api/billing/subscription')).status).toBe('none');

    const second = await restart(first, dir);
    // The emulator came back where its checkout, portal and invoice links point.
    expect(emulatorUrlOf(second)).toBe(emulatorUrlOf(first));
    const page = await fetch(checkoutUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('This checkout session is already complete.');
    expect(await controlOf(second).waitForWebhooks(scaled(30_000))).toBe(true);
    expect(await ok(second, 'GET', '/api/billing/subscription')).toMatchObject({ plan: 'personal', status: 'active' });
    const bought = await call(second, 'POST', '/api/billing/credits/purchase', { packId: 'credits_1m' });
    expect(bought.status, JSON.stringify(bought.body)).toBe(200);
  });
});
