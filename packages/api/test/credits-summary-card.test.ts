import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from './billing-helpers';
import { type Harness, startHarness } from './harness';

// The dashboard names the card before anyone confirms a purchase: the summary says which one Stripe would charge.
describe.each(testDatabaseKinds())('the saved card in GET /api/billing/credits/summary on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  it('is null for an account that never gave a card', async () => {
    const { key } = await h.account();
    const res = await h.fetch('/api/billing/credits/summary', { key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ hasPaymentMethod: false, card: null });
  });

  it('names the brand and last 4 digits of the card paid at checkout, over REST and tRPC alike', async () => {
    const { key } = await h.account();
    await subscribe(h, key, { planId: 'personal' });
    const rest = await h.fetch('/api/billing/credits/summary', { key });
    expect(rest.body).toMatchObject({ hasPaymentMethod: true, card: { brand: 'visa', last4: '4242' } });
    const trpc = await h.fetch('/trpc/credits.summary?input=%7B%7D', { key });
    expect(trpc.body).toMatchObject({ result: { data: { card: { brand: 'visa', last4: '4242' } } } });
  });
});
