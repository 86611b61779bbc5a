import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKey, settled, stripeAttempts, subscribe } from './billing-helpers';
import { type Harness, startHarness } from './harness';
import { expectLedgerConsistent } from './ledger';

describe.each(testDatabaseKinds())('POST /api/billing/credits/purchase on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  const purchase = (key: string, packId: unknown, idempotencyKey?: string) =>
    h.fetch('/api/billing/credits/purchase', {
      method: 'POST',
      key,
      body: { packId },
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    });

  async function paymentIntentsOf(accountId: string) {
    const list = await h.deps.stripe.paymentIntents.list({ limit: 100 });
    return list.data.filter((pi) => pi.metadata.accountId === accountId);
  }

  it('refuses the free plan with 403', async () => {
    const a = await h.account();
    const res = await purchase(a.key, 'credits_1m');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: expect.stringMatching(/free/i), code: 'credits_not_allowed' });
  });

  it('charges the saved card and credits the pack once, with the documented answer', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const res = await purchase(a.key, 'credits_2_5m');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      transactionId: expect.stringMatching(/^txn_/),
      balance: 2_500_000,
      purchased: 2_500_000,
    });
    const credits = (await h.fetch('/api/billing/credits', { key: a.key })).body as { transactions: unknown[] };
    expect(credits.transactions[0]).toEqual({
      id: (res.body as { transactionId: string }).transactionId,
      type: 'purchase',
      amount: 2_500_000,
      price: 1000,
      createdAt: expect.any(String),
    });
    const charged = await paymentIntentsOf(a.accountId);
    expect(charged.map((pi) => [pi.amount, pi.currency, pi.status])).toEqual([[1000, 'eur', 'succeeded']]);
    await settled(h);
    // The payment_intent.succeeded webhook arrived after the answer: still one credit.
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(2_500_000);
  });

  it('lets a retry take over a key whose first attempt died mid-way, past five minutes, and never charges twice', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const first = await purchase(a.key, 'credits_1m', 'crash-1');
    expect(first.status).toBe(200);
    const r = schema.idempotencyRecords;
    const [payment] = await h.db.db
      .select()
      .from(schema.creditPayments)
      .where(eq(schema.creditPayments.accountId, a.accountId));
    const record = and(eq(r.accountId, a.accountId), eq(r.key, 'crash-1'));
    // The key as a process leaves it when it dies after Stripe charged and before the answer was saved.
    const diedAgo = (ms: number) =>
      h.db.db
        .update(r)
        .set({ status: null, response: { resume: payment!.id }, claimedAt: new Date(Date.now() - ms) })
        .where(record);
    await diedAgo(60_000);
    expect(await purchase(a.key, 'credits_1m', 'crash-1')).toMatchObject({
      status: 409,
      body: { error: expect.stringMatching(/in progress/) },
    });
    await diedAgo(6 * 60_000);
    const retried = await purchase(a.key, 'credits_1m', 'crash-1');
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({
      transactionId: (first.body as { transactionId: string }).transactionId,
      purchased: 1_000_000,
    });
    expect(await paymentIntentsOf(a.accountId)).toHaveLength(1);
    await settled(h);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(1_000_000);
  });

  it('returns the first answer for a repeated Idempotency-Key and charges once; another body is a 409', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const first = await purchase(a.key, 'credits_1m', 'buy-1');
    const again = await purchase(a.key, 'credits_1m', 'buy-1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await purchase(a.key, 'credits_7m', 'buy-1');
    expect(other.status).toBe(409);
    expect(await paymentIntentsOf(a.accountId)).toHaveLength(1);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(1_000_000);
  });

  it('charges once when Stripe times out and the caller retries with the same key', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    // The charge times out after Stripe did the work, and so does every retry the SDK makes: the caller
    // cannot know the charge went through.
    await h.emulator.control.failNext(stripeAttempts(h), 'timeout', 200, '/v1/payment_intents');
    const first = await purchase(a.key, 'credits_1m', 'flaky');
    expect(first.status, JSON.stringify(first.body)).toBeGreaterThanOrEqual(500);
    expect(first.body).toEqual({ error: expect.stringMatching(/Stripe/i), code: 'stripe_unavailable' });
    const retry = await purchase(a.key, 'credits_1m', 'flaky');
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(await paymentIntentsOf(a.accountId)).toHaveLength(1);
    await settled(h);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(1_000_000);
  });

  it('answers 402 with the card reason when the card is declined, and credits nothing', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const customers = await h.deps.stripe.customers.list({ limit: 100 });
    const customer = customers.data.find((c) => c.metadata.accountId === a.accountId)!;
    const pm = await h.deps.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await h.deps.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const res = await purchase(a.key, 'credits_1m');
    expect(res.status).toBe(402);
    expect(res.body).toEqual({ error: expect.stringMatching(/declined/i), code: 'card_declined' });
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(0);
  });

  it('answers 409 saying how to add a card when there is none', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const customers = await h.deps.stripe.customers.list({ limit: 100 });
    const customer = customers.data.find((c) => c.metadata.accountId === a.accountId)!;
    for (const pm of (await h.deps.stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data) {
      await h.deps.stripe.paymentMethods.detach(pm.id);
    }
    await h.deps.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: '' } });
    const res = await purchase(a.key, 'credits_1m');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: expect.stringContaining('billing portal'), code: 'no_payment_method' });
  });

  it('lets only the owner buy, and refuses unknown packs with 400', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    for (const role of ['admin', 'member'] as const) {
      const res = await purchase(await memberKey(h, a.accountId, role), 'credits_1m');
      expect(res.status).toBe(403);
    }
    expect((await purchase(a.key, 'credits_999m')).status).toBe(400);
    expect((await purchase(a.key, 5)).status).toBe(400);
  });
});
