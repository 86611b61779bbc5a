import { schema } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookOperations } from '../../src/http/openapi-webhooks';
import { type Dispatcher, startWebhookDispatcher } from '../../src/services/outbox/dispatcher';
import { createEndpoint } from '../../src/services/outbox/endpoints';
import { WEBHOOK_EVENT_TYPES } from '../../src/services/outbox/event-types';
import { memberKey, settled, subscribe } from '../billing-helpers';
import { type Harness, startHarness } from '../harness';
import { type ReceivedEvent, type Receiver, startReceiver } from './receiver';

const PERSONAL_ALLOWANCE = 1_000_000;

// Every event type, caused through the API as a customer would, delivered to a real receiver that refuses each
// event's first delivery and verifies every signature.
describe.each(testDatabaseKinds())('webhook events from the changes that cause them, on %s', (kind) => {
  let h: Harness;
  let r: Receiver;
  let dispatcher: Dispatcher;
  beforeAll(async () => {
    h = await startHarness(kind);
    const box = { secret: '' };
    r = await startReceiver({ secret: () => box.secret, failFirst: 1 });
    box.secret = (await createEndpoint(h.db.db, { url: r.url, events: ['*'] }, new Date())).secret;
    dispatcher = startWebhookDispatcher(h.deps, { pollMs: 20, retryBaseMs: 30 });
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await r?.close();
    await h?.close();
  });

  let n = 0;
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await h.fetch(path, { method, key, body });
    expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body as Record<string, unknown>;
  };
  const spend = (key: string, amount: number) =>
    call('POST', '/api/billing/credits/spend', key, { amount, description: 'Enrichment', idempotencyKey: `k${n++}` });
  const eventsOf = (accountId: string) =>
    r.processed.filter((e) => e.accountId === accountId).sort((a, b) => a.sequence - b.sequence);
  /** Waits until the account's events include these types, in this order among them. */
  async function expectEvents(accountId: string, types: string[]): Promise<ReceivedEvent[]> {
    const giveUp = Date.now() + scaled(30_000);
    for (;;) {
      const got = eventsOf(accountId).map((e) => e.type);
      if (got.length >= types.length) {
        expect(got).toEqual(types);
        return eventsOf(accountId);
      }
      if (Date.now() > giveUp) expect(got).toEqual(types);
      await new Promise((ok) => setTimeout(ok, 25));
    }
  }
  async function useCard(accountId: string, card: string) {
    const [row] = await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId));
    const customer = row!.stripeCustomerId!;
    const pm = await h.deps.stripe.paymentMethods.attach(card, { customer });
    await h.deps.stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } });
    const subs = await h.deps.stripe.subscriptions.list({ customer });
    for (const s of subs.data) await h.deps.stripe.subscriptions.update(s.id, { default_payment_method: pm.id });
  }

  it('sends each event type once, signed, with id, type, createdAt, accountId, sequence and the object', async () => {
    const a = await h.account();
    await expectEvents(a.accountId, ['account.created']);
    // The alert: owner or admin, not a member.
    expect(await call('PUT', '/api/billing/credits/alerts', a.key, { threshold: 1_500_000 })).toEqual({
      threshold: 1_500_000,
    });
    const admin = await memberKey(h, a.accountId, 'admin');
    expect(await call('PUT', '/api/billing/credits/alerts', admin, { threshold: 1_500_000 })).toEqual({
      threshold: 1_500_000,
    });
    const member = await memberKey(h, a.accountId, 'member');
    const refused = await h.fetch('/api/billing/credits/alerts', {
      method: 'PUT',
      key: member,
      body: { threshold: 1 },
    });
    expect(refused.status).toBe(403);
    expect((await call('GET', '/api/billing/credits', member)).alerts).toEqual({ threshold: 1_500_000 });

    await subscribe(h, a.key, { planId: 'personal' });
    await call('POST', '/api/billing/credits/purchase', a.key, { packId: 'credits_1m' });
    // 1,000,000 credits + 1,000,000 allowance: 600,000 from the allowance crosses 1,500,000 once.
    await spend(a.key, 600_000);
    await spend(a.key, 10);
    await expectEvents(a.accountId, ['account.created', 'subscription.updated', 'credits.purchased', 'credits.low']);

    await call('PUT', '/api/billing/credits/auto-recharge', a.key, {
      enabled: true,
      threshold: 900_000,
      packId: 'credits_1m',
      spendingLimit: 5000,
    });
    await spend(a.key, PERSONAL_ALLOWANCE - 600_010 + 200_000); // the allowance, then 200,000 credits
    const recharged = [
      ...(await expectEvents(a.accountId, [
        'account.created',
        'subscription.updated',
        'credits.purchased',
        'credits.low',
        'auto_recharge.succeeded',
      ])),
    ];
    expect(recharged.at(-1)!.data).toMatchObject({ packId: 'credits_1m', balance: 1_800_000 });

    await useCard(a.accountId, 'pm_card_chargeCustomerFail');
    await spend(a.key, 1_000_000);
    const sessions = (i: number, count: number) =>
      Array.from({ length: count }, (_, j) => ({ id: `ses_${i}_${j}`, metric: 'sessions', quantity: 1 }));
    await call('POST', '/api/billing/usage/events', a.key, { events: sessions(1, 40) });
    await call('POST', '/api/billing/usage/events', a.key, { events: sessions(2, 10) });
    const all = await expectEvents(a.accountId, [
      'account.created',
      'subscription.updated',
      'credits.purchased',
      'credits.low',
      'auto_recharge.succeeded',
      'credits.low',
      'auto_recharge.failed',
      'auto_recharge.paused',
      'usage.limit_approaching',
      'usage.limit_reached',
    ]);

    expect(all.map((e) => e.sequence)).toEqual(all.map((_, i) => i + 1));
    for (const e of all) {
      expect(e).toEqual({
        id: expect.stringMatching(/^evt_/),
        type: e.type,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        accountId: a.accountId,
        sequence: e.sequence,
        data: expect.any(Object),
      });
      // Refused once by the receiver, then delivered again.
      expect(r.deliveries.get(e.id)).toBe(2);
    }
    expect(r.badSignatures).toBe(0);
    const byType = (t: string) => all.filter((e) => e.type === t).map((e) => e.data);
    expect(byType('subscription.updated')[0]).toEqual(
      (await h.fetch('/api/billing/subscription', { key: a.key })).body,
    );
    expect(byType('credits.purchased')[0]).toMatchObject({
      balance: 1_000_000,
      transaction: { type: 'purchase', amount: 1_000_000, price: 500 },
    });
    expect(byType('credits.low')).toEqual([
      { balance: 1_000_000, allowanceRemaining: 400_000, available: 1_400_000, threshold: 1_500_000 },
      { balance: 800_000, allowanceRemaining: 0, available: 800_000, threshold: 1_500_000 },
    ]);
    expect(byType('auto_recharge.paused')[0]).toMatchObject({ status: 'paused', pausedReason: expect.any(String) });
    expect(byType('usage.limit_approaching')).toEqual([
      { metric: 'sessions', used: 40, limit: 50, period: { start: expect.any(String), end: expect.any(String) } },
    ]);
    expect(byType('usage.limit_reached')).toMatchObject([{ metric: 'sessions', used: 50, limit: 50 }]);
  });

  it('tells when a subscription falls past due, once, beside the updated subscription', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    await useCard(a.accountId, 'pm_card_chargeCustomerFail');
    const [row] = await h.db.db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.accountId, a.accountId));
    const sub = await h.deps.stripe.subscriptions.retrieve(row!.stripeSubscriptionId);
    const end = sub.items.data[0]!.current_period_end;
    await h.emulator.control.advanceClock(end - (await h.emulator.control.now()) + 60);
    await settled(h);
    const events = await expectEvents(a.accountId, [
      'account.created',
      'subscription.updated',
      'subscription.updated',
      'subscription.past_due',
    ]);
    expect(events.at(-1)!.data).toMatchObject({ plan: 'team', status: 'past_due', seats: 2 });
    expect(events.at(-2)!.data).toEqual(events.at(-1)!.data);
  });

  it("covers every event type, each body as the OpenAPI document's webhooks section describes it", () => {
    const seen = new Set(r.processed.map((e) => e.type));
    expect([...WEBHOOK_EVENT_TYPES].filter((t) => !seen.has(t))).toEqual([]);
    const documented = webhookOperations() as Record<
      string,
      { post: { requestBody: { content: { 'application/json': { schema: object } } } } }
    >;
    expect(Object.keys(documented).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const ajv = new Ajv2020({ strict: false });
    const invalid = r.processed.flatMap((e) => {
      const { type } = e;
      const validate = ajv.compile(documented[type]!.post.requestBody.content['application/json'].schema);
      return validate(e) ? [] : [{ type, errors: validate.errors }];
    });
    expect(invalid).toEqual([]);
  });
});
