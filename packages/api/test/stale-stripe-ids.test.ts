import { defaultCatalog } from '@contox/core';
import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStripeCustomerId } from '../src/store/accounts';
import { syncCatalog } from '../src/stripe/catalog-sync';
import { settled, subscribe } from './billing-helpers';
import { type Harness, startHarness, WEBHOOK_SECRET } from './harness';

/**
 * Ids we hold that Stripe no longer has: a customer deleted in Stripe's dashboard, or everything lost with a
 * test-mode reset (the case: an emulator that forgot its state over a restart). Every path answers
 * what to do, never a 500, and the next checkout or portal creates a new customer.
 */
describe.each(testDatabaseKinds())('Stripe customers and subscriptions that no longer exist, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  const purchase = (key: string) =>
    h.fetch('/api/billing/credits/purchase', { method: 'POST', key, body: { packId: 'credits_1m' } });
  const customerOf = (accountId: string) => findStripeCustomerId(h.db.db, accountId);

  it('a customer deleted on Stripe: summary, portal, checkout and purchase work again with a new one', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const old = (await customerOf(a.accountId))!;
    expect(await h.deps.stripe.customers.del(old)).toMatchObject({ id: old, deleted: true });
    // Stripe cancels the customer's subscription with it, and says so.
    await settled(h);
    expect((await h.fetch('/api/billing/subscription', { key: a.key })).body).toMatchObject({ plan: 'free' });

    const summary = await h.fetch('/api/billing/credits/summary', { key: a.key });
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body).toMatchObject({ hasPaymentMethod: false, card: null });

    const portal = await h.fetch('/api/billing/portal', { method: 'POST', key: a.key, body: {} });
    expect(portal.status, JSON.stringify(portal.body)).toBe(200);
    const replaced = (await customerOf(a.accountId))!;
    expect(replaced).not.toBe(old);
    expect(await h.deps.stripe.customers.retrieve(replaced)).toMatchObject({ metadata: { accountId: a.accountId } });

    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    expect(await customerOf(a.accountId)).toBe(replaced);
    const bought = await purchase(a.key);
    expect(bought.status, JSON.stringify(bought.body)).toBe(200);
  });

  it('everything lost on Stripe: purchase and cancel answer what to do, the next checkout starts afresh', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const old = (await customerOf(a.accountId))!;
    // Stripe forgets every object, sending no event about it.
    await h.emulator.control.reset();
    await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    await syncCatalog(h.deps.stripe, defaultCatalog);

    const summary = await h.fetch('/api/billing/credits/summary', { key: a.key });
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body).toMatchObject({ hasPaymentMethod: false });

    const cancel = await h.fetch('/api/billing/cancel', { method: 'POST', key: a.key, body: {} });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(409);
    expect(cancel.body).toMatchObject({
      error: expect.stringMatching(/Stripe no longer has this subscription.*free plan.*checkout/),
    });
    expect((await h.fetch('/api/billing/subscription', { key: a.key })).body).toMatchObject({ plan: 'free' });

    // Back on the free plan, a purchase is refused as for any free account; the stale customer is still held.
    expect((await purchase(a.key)).status).toBe(403);
    expect(await customerOf(a.accountId)).toBe(old);

    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const replaced = await customerOf(a.accountId);
    expect(replaced).not.toBe(old);
    expect((await h.fetch('/api/billing/subscription', { key: a.key })).body).toMatchObject({ plan: 'team' });
    expect((await purchase(a.key)).status).toBe(200);
  });

  it('a change of plan whose subscription Stripe lost opens a checkout for a new one', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const old = (await customerOf(a.accountId))!;
    await h.emulator.control.reset();
    await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    await syncCatalog(h.deps.stripe, defaultCatalog);

    const change = await h.fetch('/api/billing/checkout', {
      method: 'POST',
      key: a.key,
      body: { planId: 'team', seats: 3 },
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect((change.body as { url: string }).url).toMatch(/\/c\/pay\/cs_/);
    expect(await customerOf(a.accountId)).not.toBe(old);
    expect((await h.fetch('/api/billing/subscription', { key: a.key })).body).toMatchObject({ plan: 'free' });
  });

  it('a purchase on a paid plan whose customer Stripe lost says so and clears it', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const old = (await customerOf(a.accountId))!;
    await h.emulator.control.reset();
    await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    await syncCatalog(h.deps.stripe, defaultCatalog);

    const res = await purchase(a.key);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body).toMatchObject({
      code: 'no_payment_method',
      error: expect.stringMatching(/Stripe no longer has this account's customer.*checkout.*portal/),
    });
    expect(await customerOf(a.accountId)).toBeNull();
    expect((await h.fetch('/api/billing/subscription', { key: a.key })).body).toMatchObject({ plan: 'free' });
    const checkout = await h.fetch('/api/billing/checkout', {
      method: 'POST',
      key: a.key,
      body: { planId: 'team', seats: 2 },
    });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(200);
    expect(await customerOf(a.accountId)).not.toBe(old);
  });
});
