import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultCatalog, INTERVALS, PLAN_IDS, priceLookupKey } from '@contox/core';
import { type RunningEmulator, startStripeEmulator } from '@contox/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The operator's command as the README gives it: `pnpm --filter @contox/server sync-prices`. */
async function syncPrices(env: Record<string, string>) {
  const run = promisify(execFile)('pnpm', ['--silent', 'sync-prices'], {
    cwd: serverDir,
    env: { ...process.env, STRIPE_SECRET_KEY: '', STRIPE_EMULATOR_PORT: '', BILLING_CATALOG_FILE: '', ...env },
  });
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/));

describe('the sync-prices command', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0 });
  });
  afterAll(() => emulator?.stop());

  const paidKeys = PLAN_IDS.flatMap((id) =>
    INTERVALS.filter((i) => defaultCatalog.plans[id].prices[i] !== null).map((i) => priceLookupKey(id, i)),
  );

  it('creates a price per paid plan and interval, and a second run changes nothing', async () => {
    expect(paidKeys.length).toBeGreaterThan(0);
    const first = await syncPrices({ STRIPE_EMULATOR_PORT: String(emulator.port) });
    expect(first.code, first.stderr).toBe(0);
    const created = lines(first.stdout);
    expect(created.map(([action, key]) => [action, key])).toEqual(paidKeys.map((k) => ['created', k]));

    const second = await syncPrices({ STRIPE_EMULATOR_PORT: String(emulator.port) });
    expect(lines(second.stdout)).toEqual(created.map(([, key, priceId]) => ['unchanged', key, priceId]));
  });

  it('names what to set when it has no Stripe to talk to', async () => {
    const run = await syncPrices({});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Set STRIPE_SECRET_KEY .* or STRIPE_EMULATOR_PORT/);
  });
});
