import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@contox/db/testing';
import { type Harness, startHarness } from './harness';

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
      autoRecharge: { enabled: false, threshold: 500000, packId: 'credits_2_5m', spendingLimit: 5000 },
      transactions: [],
    });
  });

  it('answers 401 with an error body without credentials or with a bad key', async () => {
    const none = await h.fetch('/api/billing/credits');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: expect.stringMatching(/Authorization: Bearer/) });
    const bad = await h.fetch('/api/billing/credits', { key: 'contox_sk_notarealkey000000000' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: 'Invalid or revoked API key' });
  });

  it('serves the same data through the tRPC procedure', async () => {
    const { key } = await h.account();
    const viaTrpc = await h.trpc(key).credits.get.query({ limit: 50 });
    const viaRest = await h.fetch('/api/billing/credits', { key });
    expect(viaTrpc).toEqual(viaRest.body);
  });

  it('rejects a bad page size with a 400 naming the field', async () => {
    const { key } = await h.account();
    const res = await h.fetch('/api/billing/credits?limit=0', { key });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('limit') });
  });
});
