import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcilePendingPayments } from '../src/index';
import { sessionIdOf, settled, subscribe } from './billing-helpers';
import { type Harness, startHarness, WEBHOOK_SECRET } from './harness';
import { expectLedgerConsistent } from './ledger';

// Billing policy, on-session payments: a pack bought on Stripe Checkout (payment mode) is credited exactly once
// when it is paid (webhook or return, whichever first), with or without a saved card, 3-D Secure included; a
// saved card that needs authentication answers 402 authentication_required.
describe.each(testDatabaseKinds())('policy: credit checkout on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  const checkout = (key: string, body: Record<string, unknown>) =>
    h.fetch('/api/billing/credits/checkout', { method: 'POST', key, body });
  const confirm = (key: string, sessionId: string) =>
    h.fetch('/api/billing/credits/checkout/confirm', { method: 'POST', key, body: { sessionId } });

  async function customerOf(accountId: string) {
    const [row] = await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId));
    return row!.stripeCustomerId!;
  }

  /** A paying account whose subscription's card is detached: nothing saved to charge off-session. */
  async function accountWithoutCard() {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const customer = await customerOf(a.accountId);
    for (const pm of (await h.deps.stripe.paymentMethods.list({ customer })).data) {
      await h.deps.stripe.paymentMethods.detach(pm.id);
    }
    await settled(h);
    return a;
  }

  /** Submits the emulator's hosted page as a browser does; returns where it sends the payer. */
  async function submit(url: string, fields: Record<string, string>) {
    const res = await fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location') ?? '' };
  }

  const purchases = async (accountId: string) =>
    h.db.db
      .select()
      .from(schema.creditTransactions)
      .where(and(eq(schema.creditTransactions.accountId, accountId), eq(schema.creditTransactions.type, 'purchase')));

  it('works without a saved card: paid on the page, credited once by the webhook, the return agrees', async () => {
    const a = await accountWithoutCard();
    expect(
      (await h.fetch('/api/billing/credits/purchase', { method: 'POST', key: a.key, body: { packId: 'credits_1m' } }))
        .status,
    ).toBe(409);
    const res = await checkout(a.key, { packId: 'credits_2_5m' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { url } = res.body as { url: string };
    const sessionId = sessionIdOf(url);
    const paid = await submit(url, { card_number: '4242 4242 4242 4242' });
    expect(paid.location).toBe(`http://localhost:3000/billing/credits?purchase=success&session_id=${sessionId}`);
    await settled(h);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(2_500_000);
    expect((await confirm(a.key, sessionId)).body).toEqual({
      sessionId,
      status: 'paid',
      packId: 'credits_2_5m',
      purchased: 2_500_000,
      balance: 2_500_000,
    });
    const rows = await purchases(a.accountId);
    expect(rows.map((r) => [r.amount, r.price])).toEqual([[2_500_000, 1000]]);
  });

  it('asks a 3-D Secure card for authentication on the page; the return credits before any webhook, once', async () => {
    const a = await accountWithoutCard();
    const { url } = (await checkout(a.key, { packId: 'credits_1m' })).body as { url: string };
    const sessionId = sessionIdOf(url);
    await h.emulator.control.setWebhook(null);
    try {
      const challenge = await submit(url, { card_number: '4000 0027 6000 3184' });
      expect(challenge.location).toBe(`/c/pay/${sessionId}/authenticate`);
      expect((await confirm(a.key, sessionId)).body).toMatchObject({ status: 'open', purchased: 0, balance: 0 });
      const done = await submit(`${h.emulator.url}${challenge.location}`, { outcome: 'complete' });
      expect(done.location).toContain(`session_id=${sessionId}`);
      expect((await confirm(a.key, sessionId)).body).toMatchObject({ status: 'paid', purchased: 1_000_000 });
    } finally {
      await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    }
    // The held webhooks (payment_intent.succeeded, checkout.session.completed) arrive now: no second credit.
    await settled(h);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(1_000_000);
    expect(await purchases(a.accountId)).toHaveLength(1);
  });

  it('keeps the purchase open after a failed authentication, and credits it once another card pays', async () => {
    const a = await accountWithoutCard();
    const { url } = (await checkout(a.key, { packId: 'credits_1m' })).body as { url: string };
    const sessionId = sessionIdOf(url);
    await expect(
      h.emulator.control.completeCheckout(sessionId, '4000002500003155', { authentication: 'fail' }),
    ).rejects.toThrow(/authenticate/);
    await settled(h);
    expect((await confirm(a.key, sessionId)).body).toMatchObject({ status: 'open', balance: 0 });
    await h.emulator.control.completeCheckout(sessionId, '4242424242424242');
    await settled(h);
    expect((await confirm(a.key, sessionId)).body).toMatchObject({ status: 'paid', balance: 1_000_000 });
    expect(await purchases(a.accountId)).toHaveLength(1);
  });

  it('the reconciler leaves an open checkout waiting and credits a paid one whose webhooks and return never came', async () => {
    const a = await accountWithoutCard();
    const { url } = (await checkout(a.key, { packId: 'credits_1m' })).body as { url: string };
    const sessionId = sessionIdOf(url);
    const mine = (runs: { paymentId: string; outcome: string }[]) =>
      runs.filter((r) => r.paymentId === payment!.id).map((r) => r.outcome);
    const [payment] = await h.db.db
      .select()
      .from(schema.creditPayments)
      .where(eq(schema.creditPayments.checkoutSessionId, sessionId));
    // No PaymentIntent yet: the payer is still on the page, which is no reason to give the payment up.
    expect(mine(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }))).toEqual(['in_progress']);
    await h.emulator.control.setWebhook(null);
    try {
      await h.emulator.control.completeCheckout(sessionId, '4242424242424242');
      expect(mine(await reconcilePendingPayments(h.deps, { olderThanMs: 0 }))).toEqual(['credited']);
    } finally {
      await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    }
    await settled(h);
    expect((await confirm(a.key, sessionId)).body).toMatchObject({ status: 'paid', balance: 1_000_000 });
    expect(await purchases(a.accountId)).toHaveLength(1);
  });

  it('fails the payment of an expired checkout and credits nothing', async () => {
    const a = await accountWithoutCard();
    const { url } = (await checkout(a.key, { packId: 'credits_1m' })).body as { url: string };
    const sessionId = sessionIdOf(url);
    await h.deps.stripe.checkout.sessions.expire(sessionId);
    await settled(h);
    const [payment] = await h.db.db
      .select()
      .from(schema.creditPayments)
      .where(eq(schema.creditPayments.checkoutSessionId, sessionId));
    expect(payment?.status).toBe('failed');
    expect((await confirm(a.key, sessionId)).body).toMatchObject({ status: 'expired', purchased: 0, balance: 0 });
  });

  it('answers a saved card that needs authentication with 402 authentication_required, pointing to checkout', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const customer = await customerOf(a.accountId);
    const pm = await h.deps.stripe.paymentMethods.attach('pm_card_authenticationRequired', { customer });
    await h.deps.stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } });
    const res = await h.fetch('/api/billing/credits/purchase', {
      method: 'POST',
      key: a.key,
      body: { packId: 'credits_1m' },
    });
    expect(res.status).toBe(402);
    expect(res.body).toEqual({ error: expect.stringMatching(/checkout/i), code: 'authentication_required' });
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(0);
  });

  it('refuses the free plan, unknown packs, foreign redirects, and other accounts’ checkouts', async () => {
    const free = await h.account();
    expect(await checkout(free.key, { packId: 'credits_1m' })).toMatchObject({
      status: 403,
      body: { code: 'credits_not_allowed' },
    });
    const a = await accountWithoutCard();
    expect((await checkout(a.key, { packId: 'credits_0' })).status).toBe(400);
    const foreign = await checkout(a.key, { packId: 'credits_1m', successUrl: 'https://evil.example/x' });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ error: expect.stringMatching(/^successUrl/) });
    const { url } = (await checkout(a.key, { packId: 'credits_1m' })).body as { url: string };
    expect((await confirm(free.key, sessionIdOf(url))).status).toBe(404);
  });
});
