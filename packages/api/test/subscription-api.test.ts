import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePlanView, memberKey, sessionIdOf, stripeAttempts } from './billing-helpers';
import { type Harness, useHarness } from './harness';

describe.each(testDatabaseKinds())('subscription endpoints on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  const customerOf = async (accountId: string) =>
    (await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId)))[0]?.stripeCustomerId ??
    null;

  it('GET /api/billing/subscription shows a new account on the free plan without a subscription', async () => {
    const { key } = await h.account();
    const res = await h.fetch('/api/billing/subscription', { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(freePlanView());
  });

  it('POST /api/billing/checkout answers { url } for a Stripe Checkout of the plan, seats and account', async () => {
    const { key, accountId } = await h.account();
    const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team', seats: 3 } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['url']);
    const { url } = res.body as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_test_/);

    const session = await h.deps.stripe.checkout.sessions.retrieve(sessionIdOf(url));
    const lines = await h.deps.stripe.checkout.sessions.listLineItems(session.id);
    expect(session).toMatchObject({
      mode: 'subscription',
      client_reference_id: accountId,
      metadata: { accountId },
      customer: await customerOf(accountId),
      success_url: 'http://localhost:3000/billing/plan?checkout=success',
      cancel_url: 'http://localhost:3000/billing/plan?checkout=cancelled',
    });
    expect(lines.data).toHaveLength(1);
    expect(lines.data[0]).toMatchObject({
      quantity: 3,
      price: { lookup_key: 'contox_team_monthly', unit_amount: 1900 },
    });
  });

  it('checkout takes one seat by default and the yearly price when asked', async () => {
    const { key } = await h.account();
    const res = await h.fetch('/api/billing/checkout', {
      method: 'POST',
      key,
      body: { planId: 'personal', interval: 'year' },
    });
    expect(res.status).toBe(200);
    const lines = await h.deps.stripe.checkout.sessions.listLineItems(sessionIdOf((res.body as { url: string }).url));
    expect(lines.data[0]).toMatchObject({
      quantity: 1,
      price: { lookup_key: 'contox_personal_yearly', unit_amount: 9000 },
    });
  });

  it.each([
    [{ planId: 'platinum' }, /Unknown plan 'platinum'/],
    [{ planId: 'free' }, /free plan needs no checkout/],
    [{ planId: 'team', seats: 101 }, /between 2 and 100; got 101/],
    [{ planId: 'team', seats: 2.5 }, /seats/],
    [{ planId: 'team', seats: 0 }, /seats/],
    [{ planId: 'personal', seats: 2 }, /between 1 and 1; got 2/],
    [{ seats: 3 }, /planId/],
  ])('checkout refuses %j with 400 { error }', async (body, message) => {
    const { key, accountId } = await h.account();
    const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringMatching(message), code: 'validation_failed' });
    expect(await customerOf(accountId)).toBeNull();
  });

  it.each([
    'https://evil.example/billing',
    '//evil.example/billing',
    'http://localhost:3000@evil.example/',
    'http://localhost:3000:pw@evil.example/',
    'http://user:pass@localhost:3000/billing',
    'http://localhost:3000.evil.example/',
    'https://localhost:3000/billing',
    'http://localhost:3001/billing',
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://localhost:3000/billing',
    '/billing/plan',
    'localhost:3000/billing',
    '',
  ])('checkout and portal refuse the redirect %j with 400', async (target) => {
    const { key, accountId } = await h.account();
    for (const field of ['successUrl', 'cancelUrl'] as const) {
      const res = await h.fetch('/api/billing/checkout', {
        method: 'POST',
        key,
        body: { planId: 'team', seats: 2, [field]: target },
      });
      expect(res.status, `${field}=${target}`).toBe(400);
      expect(res.body).toEqual({ error: expect.stringContaining(field), code: 'validation_failed' });
    }
    const portal = await h.fetch('/api/billing/portal', { method: 'POST', key, body: { returnUrl: target } });
    expect(portal.status).toBe(400);
    expect(portal.body).toEqual({ error: expect.stringContaining('returnUrl'), code: 'validation_failed' });
    expect(await customerOf(accountId)).toBeNull();
  });

  it('checkout accepts redirects on the app origin and on ALLOWED_REDIRECT_ORIGINS', async () => {
    const { key } = await h.account();
    h.deps.config.ALLOWED_REDIRECT_ORIGINS = ['https://docs.contox.example'];
    try {
      const res = await h.fetch('/api/billing/checkout', {
        method: 'POST',
        key,
        body: {
          planId: 'team',
          seats: 2,
          successUrl: 'http://localhost:3000/welcome?session={CHECKOUT_SESSION_ID}',
          cancelUrl: 'https://docs.contox.example/pricing',
        },
      });
      expect(res.status).toBe(200);
      const session = await h.deps.stripe.checkout.sessions.retrieve(sessionIdOf((res.body as { url: string }).url));
      expect(session.success_url).toBe('http://localhost:3000/welcome?session={CHECKOUT_SESSION_ID}');
      expect(session.cancel_url).toBe('https://docs.contox.example/pricing');
    } finally {
      h.deps.config.ALLOWED_REDIRECT_ORIGINS = [];
    }
  });

  it('POST /api/billing/portal answers { url } and creates the Stripe customer once, on first use', async () => {
    const { key, accountId } = await h.account({ name: 'Portal Co' });
    expect(await customerOf(accountId)).toBeNull();
    const first = await h.fetch('/api/billing/portal', { method: 'POST', key });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body as object)).toEqual(['url']);
    expect((first.body as { url: string }).url).toMatch(/\/p\/session\/bps_/);
    const customerId = await customerOf(accountId);
    expect(customerId).toMatch(/^cus_/);
    const customer = await h.deps.stripe.customers.retrieve(customerId!);
    expect(customer).toMatchObject({ name: 'Portal Co', metadata: { accountId } });

    const second = await h.fetch('/api/billing/portal', {
      method: 'POST',
      key,
      body: { returnUrl: 'http://localhost:3000/x' },
    });
    expect(second.status).toBe(200);
    expect(await customerOf(accountId)).toBe(customerId);
  });

  it('cancel and resume answer 409 { error } when there is no subscription', async () => {
    const { key } = await h.account();
    for (const path of ['/api/billing/cancel', '/api/billing/resume']) {
      const res = await h.fetch(path, { method: 'POST', key });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: expect.stringMatching(/no active subscription/), code: 'conflict' });
    }
  });

  it.each(['admin', 'member'] as const)('only the owner may change billing: an %s key gets 403', async (role) => {
    const { accountId } = await h.account();
    const key = await memberKey(h, accountId, role);
    const changes: [string, unknown][] = [
      ['/api/billing/checkout', { planId: 'team', seats: 2 }],
      ['/api/billing/portal', {}],
      ['/api/billing/cancel', {}],
      ['/api/billing/resume', {}],
    ];
    for (const [path, body] of changes) {
      const res = await h.fetch(path, { method: 'POST', key, body });
      expect(res.status, path).toBe(403);
      expect(res.body).toEqual({
        error: `Only the account owner may change billing (you are ${role})`,
        code: 'forbidden',
      });
    }
    const read = await h.fetch('/api/billing/subscription', { key });
    expect(read.status).toBe(200);
    expect(await customerOf(accountId)).toBeNull();
    await expect(h.trpc(key).subscription.portal.mutate({})).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
  });

  it('documents the five paths in the OpenAPI document', async () => {
    const doc = (await h.fetch('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/billing/subscription'] ?? {})).toEqual(['get']);
    for (const path of ['checkout', 'portal', 'cancel', 'resume']) {
      expect(Object.keys(doc.paths[`/api/billing/${path}`] ?? {}), path).toEqual(['post']);
    }
  });

  it('answers 401 without credentials', async () => {
    for (const [method, path] of [
      ['GET', '/api/billing/subscription'],
      ['POST', '/api/billing/checkout'],
      ['POST', '/api/billing/portal'],
      ['POST', '/api/billing/cancel'],
      ['POST', '/api/billing/resume'],
    ] as const) {
      const res = await h.fetch(path, { method, ...(method === 'POST' ? { body: {} } : {}) });
      expect(res.status, path).toBe(401);
      expect(res.body).toEqual({ error: expect.any(String), code: 'unauthenticated' });
    }
  });

  it('serves the same procedures over tRPC', async () => {
    const { key } = await h.account();
    const client = h.trpc(key);
    expect(await client.subscription.get.query({})).toEqual(freePlanView());
    const { url } = await client.subscription.checkout.mutate({ planId: 'business', seats: 5 });
    const lines = await h.deps.stripe.checkout.sessions.listLineItems(sessionIdOf(url));
    expect(lines.data[0]).toMatchObject({ quantity: 5, price: { lookup_key: 'contox_business_monthly' } });
    expect((await client.subscription.portal.mutate({})).url).toMatch(/\/p\/session\//);
    const refused = await client.subscription.cancel.mutate({}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect(refused).toMatchObject({ data: { code: 'CONFLICT', httpStatus: 409 } });
    await expect(
      client.subscription.checkout.mutate({ planId: 'team', seats: 2, successUrl: '//evil.example' }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
  });

  it.each([
    ['500', 503, 'Stripe is unavailable, try again', 'stripe_unavailable'],
    ['timeout', 503, 'Stripe is unavailable, try again', 'stripe_unavailable'],
    ['429', 429, expect.stringMatching(/rate limit/i), 'rate_limited'],
  ] as const)(
    'Stripe answering %s during checkout gives %i { error, code } and writes nothing',
    async (fault, status, error, code) => {
      const { key, accountId } = await h.account();
      // An outage is a failure on every attempt the SDK makes; a 429, which it does not retry, comes once.
      await h.emulator.control.failNext(fault === '429' ? 1 : stripeAttempts(h), fault, 50);
      const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team', seats: 2 } });
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ error, code });
      // A timed-out call did reach Stripe; the retry below must land on that same customer, not a second one.
      expect(await customerOf(accountId)).toBeNull();
      expect(
        await h.db.db.select().from(schema.subscriptions).where(eq(schema.subscriptions.accountId, accountId)),
      ).toEqual([]);

      const retry = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team', seats: 2 } });
      expect(retry.status).toBe(200);
      const [owner] = await h.db.db.select().from(schema.members).where(eq(schema.members.accountId, accountId));
      const customers = await h.deps.stripe.customers.list({ email: owner!.email });
      expect(customers.data.map((c) => c.id)).toEqual([await customerOf(accountId)]);
    },
  );
});
