import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@contox/db/testing';
import { settled } from './billing-helpers';
import { ledgerOf, paidAccount } from './fire/accounts';
import { type Harness, startHarness } from './harness';
import { grantCredits } from './ledger';

describe.each(testDatabaseKinds())('GET /api/billing/credits on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  it('returns the documented shape with the documented defaults for a new account', async () => {
    const { key } = await h.account();
    const res = await h.fetch('/api/billing/credits', { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      balance: 0,
      autoRecharge: {
        enabled: false,
        threshold: 500000,
        packId: 'credits_2_5m',
        spendingLimit: 5000,
        status: 'active',
        pausedReason: null,
      },
      transactions: [],
      alerts: { threshold: null },
    });
  });

  it('answers 401 with an error body without credentials or with a bad key', async () => {
    const none = await h.fetch('/api/billing/credits');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: expect.stringMatching(/Authorization: Bearer/), code: 'unauthenticated' });
    const bad = await h.fetch('/api/billing/credits', { key: 'contox_sk_notarealkey000000000' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: 'Invalid or revoked API key', code: 'unauthenticated' });
  });

  it('serves the same pages through tRPC as over REST, on an account with several kinds of transactions', async () => {
    const a = await paidAccount(h);
    const call = (method: string, path: string, body: unknown) =>
      h.fetch(`/api/billing/credits/${path}`, { method, key: a.key, body });
    const spend = (amount: number, idempotencyKey: string) =>
      call('POST', 'spend', { amount, description: `Enrichment - ${idempotencyKey}`, idempotencyKey });
    expect((await call('POST', 'purchase', { packId: 'credits_1m' })).status).toBe(200);
    await grantCredits(h.db.db, a.accountId, 5_000);
    expect((await spend(1_000_000, 'allowance')).status).toBe(200);
    expect((await spend(300_000, 'credits')).status).toBe(200);
    const recharge = { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 1000 };
    expect((await call('PUT', 'auto-recharge', recharge)).status).toBe(200);
    expect((await spend(1, 'below-threshold')).status).toBe(200);
    await settled(h);

    type Page = { balance: number; transactions: { id: string; type: string }[]; nextCursor?: string };
    const pages: Page[] = [];
    let cursor: string | undefined;
    do {
      const rest = await h.fetch(`/api/billing/credits?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: a.key });
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      expect(await h.trpc(a.key).credits.get.query({ limit: 2, ...(cursor ? { cursor } : {}) })).toEqual(rest.body);
      pages.push(rest.body as Page);
      cursor = (rest.body as Page).nextCursor;
    } while (cursor);

    const paged = pages.flatMap((p) => p.transactions);
    // Balance changes only: the spend wholly from the allowance is not listed.
    const ledger = (await ledgerOf(h, a.accountId)).filter((t) => t.amount !== 0);
    expect(pages.length).toBe(Math.ceil(ledger.length / 2));
    // Newest first, every row once, across the pages.
    expect(paged.map((t) => t.id)).toEqual(ledger.map((t) => t.id).reverse());
    expect(new Set(paged.map((t) => t.type))).toEqual(new Set(['purchase', 'grant', 'usage', 'auto_recharge']));
    const whole = await h.fetch('/api/billing/credits?limit=100', { key: a.key });
    expect(whole.body).toEqual({ ...pages[0], transactions: paged, nextCursor: undefined });
    expect(await h.trpc(a.key).credits.get.query({ limit: 100 })).toEqual(whole.body);
  });

  it('rejects a bad page size with a 400 naming the field', async () => {
    const { key } = await h.account();
    const res = await h.fetch('/api/billing/credits?limit=0', { key });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('limit'), code: 'validation_failed' });
  });
});
