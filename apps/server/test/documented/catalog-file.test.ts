import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCatalog, PACK_IDS, PLAN_IDS } from '@contox/core';
import { EmulatorControl } from '@contox/stripe-emulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../../src/spawn-server';

// README: "an operator replaces any of it with a JSON file named by BILLING_CATALOG_FILE (deep-partial per plan
// or pack, validated at start)". The file must change what is served, what Stripe is asked to charge, and the
// limits and allowances the service enforces; everything it does not name keeps the default.

const OVERRIDE = {
  plans: { team: { prices: { month: 2500 }, tokenAllowance: 6_000_000, limits: { sessions: 250 } } },
  packs: { credits_1m: { tokens: 1_200_000, price: 700 } },
};

describe('BILLING_CATALOG_FILE at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'contox-catalog-'));
  let server: SpawnedServer;
  let stripe: Stripe;
  let control: EmulatorControl;
  beforeAll(async () => {
    // The override differs from the defaults it replaces, so equality below can only come from the file.
    expect(defaultCatalog.plans.team.prices.month).not.toBe(2500);
    expect(defaultCatalog.packs.credits_1m).not.toMatchObject({ tokens: 1_200_000 });
    const path = join(dir, 'catalog.json');
    writeFileSync(path, JSON.stringify(OVERRIDE));
    server = await spawnServer({ DATA_DIR: join(dir, 'data'), BILLING_CATALOG_FILE: path });
    const emulatorUrl = new URL(/Stripe emulator at (\S+)/.exec(server.output())![1]!);
    stripe = new Stripe('sk_test_catalog', {
      host: emulatorUrl.hostname,
      port: Number(emulatorUrl.port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    control = new EmulatorControl(emulatorUrl.origin);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body as T;
  };

  it('GET /api/billing/plans serves the file layered over the defaults', async () => {
    const team = defaultCatalog.plans.team;
    const expected = {
      plans: PLAN_IDS.map((id) =>
        id === 'team'
          ? {
              ...team,
              prices: { ...team.prices, month: 2500 },
              tokenAllowance: 6_000_000,
              limits: { ...team.limits, sessions: 250 },
            }
          : defaultCatalog.plans[id],
      ),
      packs: PACK_IDS.map((id) =>
        id === 'credits_1m' ? { id, tokens: 1_200_000, price: 700 } : defaultCatalog.packs[id],
      ),
    };
    expect(await api('/api/billing/plans')).toEqual(expected);
  });

  it("Stripe's prices are the file's: team monthly 25.00 EUR per seat, the rest unchanged", async () => {
    const unitAmount = async (lookupKey: string) =>
      (await stripe.prices.list({ lookup_keys: [lookupKey] })).data.map((p) => p.unit_amount);
    expect(await unitAmount('contox_team_monthly')).toEqual([2500]);
    expect(await unitAmount('contox_team_yearly')).toEqual([defaultCatalog.plans.team.prices.year]);
    expect(await unitAmount('contox_business_monthly')).toEqual([defaultCatalog.plans.business.prices.month]);
  });

  it('a team × 2 checkout bills 2 × 25.00 EUR; the limits and allowance enforced are the file’s', async () => {
    const { url } = await api<{ url: string }>('/api/billing/checkout', {
      method: 'POST',
      body: { planId: 'team', seats: 2 },
    });
    const sessionId = /\/c\/pay\/(cs_[^/?#]+)/.exec(url)![1]!;
    await control.completeCheckout(sessionId, '4242424242424242');
    expect(await control.waitForWebhooks(30_000)).toBe(true);

    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session.amount_total).toBe(5000);
    const usage = await api<{ plan: string; usage: { sessions: { limit: number } } }>('/api/billing/usage');
    expect(usage).toMatchObject({ plan: 'team', usage: { sessions: { limit: 250 } } });
    const summary = await api<{ allowance: { limit: number } }>('/api/billing/credits/summary');
    expect(summary.allowance.limit).toBe(6_000_000);
  });

  it('buying credits_1m charges the file’s 7.00 EUR and credits its 1,200,000 tokens', async () => {
    const bought = await api<{ purchased: number; transactionId: string }>('/api/billing/credits/purchase', {
      method: 'POST',
      body: { packId: 'credits_1m' },
    });
    expect(bought.purchased).toBe(1_200_000);
    const credits = await api<{ transactions: { id: string; amount: number; price?: number }[] }>(
      '/api/billing/credits',
    );
    expect(credits.transactions.find((t) => t.id === bought.transactionId)).toMatchObject({
      amount: 1_200_000,
      price: 700,
    });
    const charges = (await stripe.paymentIntents.list({ limit: 100 })).data.filter((pi) => pi.status === 'succeeded');
    expect(charges.map((pi) => pi.amount)).toContain(700);
  });
});
