import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { type Receiver, startWithReceiver, WEBHOOK_SECRET, waitFor, webhooksIdle } from './helpers';

let emu: RunningEmulator;
let stripe: Stripe;
let receiver: Receiver;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ emu, stripe, receiver, stop } = await startWithReceiver());
});
afterAll(async () => {
  await stop();
});
beforeEach(async () => {
  await webhooksIdle(emu);
  receiver.clear();
  receiver.respond = () => 200;
});

async function createCustomers(n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await stripe.customers.create({ email: `${prefix}${i}@example.com` })).id);
  return ids;
}

const createdIds = () => receiver.ofType('customer.created').map((r) => (r.event.data.object as Stripe.Customer).id);

describe('webhook delivery', () => {
  it('signs payloads so stripe.webhooks.constructEvent accepts them', async () => {
    const customer = await stripe.customers.create({ email: 'signed@example.com' }, { idempotencyKey: 'wh-key-1' });
    const got = await waitFor(() => receiver.ofType('customer.created')[0]);
    expect(got.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = stripe.webhooks.constructEvent(got.body, got.signature, WEBHOOK_SECRET);
    expect(event).toMatchObject({
      object: 'event',
      type: 'customer.created',
      livemode: false,
      api_version: Stripe.API_VERSION,
      request: { idempotency_key: 'wh-key-1' },
    });
    expect(event.id).toMatch(/^evt_/);
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(() => stripe.webhooks.constructEvent(got.body, got.signature, 'whsec_wrong')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );

    const listed = await stripe.events.retrieve(event.id);
    expect(listed.type).toBe('customer.created');
  });

  it('retries with backoff until the endpoint answers 2xx', async () => {
    receiver.respond = (_r, attempt) => (attempt <= 2 ? 500 : 200);
    const [id] = await createCustomers(1, 'retry');
    await webhooksIdle(emu);
    const deliveries = receiver.received.filter((r) => (r.event.data.object as Stripe.Customer).id === id);
    expect(deliveries).toHaveLength(3);
    const log = (await emu.control.deliveries()).filter((d) => d.eventId === deliveries[0]?.event.id);
    expect(log.map((d) => d.status)).toEqual([500, 500, 200]);
    // baseMs is 20: the waits double, 20 ms then 40 ms at least.
    expect((log[1]?.at ?? 0) - (log[0]?.at ?? 0)).toBeGreaterThanOrEqual(19);
    expect((log[2]?.at ?? 0) - (log[1]?.at ?? 0)).toBeGreaterThanOrEqual(39);
    const event = await stripe.events.retrieve(deliveries[0]?.event.id ?? '');
    expect(event.pending_webhooks).toBe(0);
  });

  it('gives up after the maximum number of attempts', async () => {
    receiver.respond = () => 503;
    await createCustomers(1, 'giveup');
    await webhooksIdle(emu);
    expect(receiver.ofType('customer.created')).toHaveLength(5);
  });

  it('delivers duplicates when asked', async () => {
    await emu.control.duplicateNext(2);
    const ids = await createCustomers(3, 'dup');
    await webhooksIdle(emu);
    const got = createdIds();
    expect(got.filter((x) => x === ids[0])).toHaveLength(2);
    expect(got.filter((x) => x === ids[1])).toHaveLength(2);
    expect(got.filter((x) => x === ids[2])).toHaveLength(1);
  });

  it('holds and reverses a batch of events', async () => {
    await emu.control.reorderNext(3);
    const ids = await createCustomers(3, 'reorder');
    await webhooksIdle(emu);
    expect(createdIds()).toEqual([...ids].reverse());
  });

  it('drops events that stay listable through events.list', async () => {
    await emu.control.dropNext(1);
    const [dropped, kept] = await createCustomers(2, 'drop');
    await webhooksIdle(emu);
    expect(createdIds()).toEqual([kept]);
    const events = await stripe.events.list({ type: 'customer.created', limit: 5 });
    const droppedEvent = events.data.find((e) => (e.data.object as Stripe.Customer).id === dropped);
    expect(droppedEvent).toBeDefined();

    await emu.control.redeliver(droppedEvent?.id ?? '');
    await webhooksIdle(emu);
    expect(createdIds()).toEqual([kept, dropped]);
  });

  it('delays delivery without holding back later events', async () => {
    await emu.control.delayNext(1, 800);
    const [slow, fast] = await createCustomers(2, 'delay');
    await waitFor(() => createdIds().includes(fast ?? ''));
    expect(createdIds()).not.toContain(slow);
    await webhooksIdle(emu);
    expect(createdIds()).toEqual([fast, slow]);
  });

  it('lists events with type, created and pagination filters', async () => {
    const before = await emu.control.now();
    await createCustomers(3, 'list');
    const page = await stripe.events.list({ type: 'customer.created', created: { gte: before }, limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const next = await stripe.events.list({
      type: 'customer.created',
      created: { gte: before },
      limit: 2,
      starting_after: page.data[1]?.id,
    });
    expect(next.data.length).toBeGreaterThanOrEqual(1);
    expect(next.data.every((e) => e.type === 'customer.created')).toBe(true);
  });

  it('can be switched to another endpoint or off', async () => {
    await emu.control.setWebhook(null);
    await createCustomers(1, 'off');
    await webhooksIdle(emu);
    expect(receiver.received).toHaveLength(0);
    await emu.control.setWebhook({ url: receiver.url, secret: 'whsec_other' });
    await createCustomers(1, 'on');
    const got = await waitFor(() => receiver.received[0]);
    expect(stripe.webhooks.constructEvent(got.body, got.signature, 'whsec_other').type).toBe('customer.created');
    await emu.control.setWebhook({ url: receiver.url, secret: WEBHOOK_SECRET });
  });
});
