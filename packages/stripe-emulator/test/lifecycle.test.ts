import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { type Receiver, seedCatalog, startWithReceiver, subscribe, waitFor, webhooksIdle } from './helpers';

let emu: RunningEmulator;
let stripe: Stripe;
let receiver: Receiver;
let stop: () => Promise<void>;
let catalog: Awaited<ReturnType<typeof seedCatalog>>;
const DAY = 86_400;

beforeAll(async () => {
  ({ emu, stripe, receiver, stop } = await startWithReceiver());
  catalog = await seedCatalog(stripe);
});
afterAll(async () => {
  await stop();
});
beforeEach(async () => {
  await webhooksIdle(emu);
  receiver.clear();
});

describe('subscription lifecycle on the test clock', () => {
  it('ends a subscription canceled at period end once the clock passes it', async () => {
    const { subscription } = await subscribe(stripe, emu, catalog.team, 1);
    const updated = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(updated.cancel_at_period_end).toBe(true);
    expect(updated.status).toBe('active');

    await emu.control.advanceClock(10 * DAY);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');

    await emu.control.advanceClock(25 * DAY);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended.status).toBe('canceled');
    expect(ended.ended_at).toBe(subscription.items.data[0]?.current_period_end);
    const deleted = await waitFor(() => receiver.ofType('customer.subscription.deleted')[0]);
    expect((deleted.event.data.object as Stripe.Subscription).id).toBe(subscription.id);
    expect((await stripe.subscriptions.list({ customer: ended.customer as string })).data).toHaveLength(0);
    expect(
      (await stripe.subscriptions.list({ customer: ended.customer as string, status: 'canceled' })).data,
    ).toHaveLength(1);
  });

  it('renews at period end with a paid invoice and a new period on the items', async () => {
    const { subscription } = await subscribe(stripe, emu, catalog.team, 3);
    const firstEnd = subscription.items.data[0]?.current_period_end ?? 0;
    const now = await emu.control.now();
    await emu.control.advanceClock(firstEnd - now + 60);

    const renewed = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(renewed.status).toBe('active');
    expect(renewed.items.data[0]?.current_period_start).toBe(firstEnd);
    expect(renewed.items.data[0]?.current_period_end).toBeGreaterThan(firstEnd + 27 * DAY);
    const invoice = renewed.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 4500, billing_reason: 'subscription_cycle' });
    expect(invoice.lines.data[0]?.period).toEqual({ start: firstEnd, end: renewed.items.data[0]?.current_period_end });

    const paid = await waitFor(() =>
      receiver.ofType('invoice.paid').find((r) => (r.event.data.object as Stripe.Invoice).id === invoice.id),
    );
    expect(paid.event.created).toBe(firstEnd);
    const updated = receiver.ofType('customer.subscription.updated')[0];
    expect(updated?.event.data.previous_attributes).toHaveProperty('items');
  });

  it('marks the subscription past_due when the renewal charge fails, then cancels after retries', async () => {
    const { subscription } = await subscribe(stripe, emu, catalog.team, 1, '4000000000000341');
    expect(subscription.status).toBe('active');
    const end = subscription.items.data[0]?.current_period_end ?? 0;
    await emu.control.advanceClock(end - (await emu.control.now()) + 60);

    const pastDue = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(pastDue.status).toBe('past_due');
    expect((pastDue.latest_invoice as Stripe.Invoice).status).toBe('open');
    const failed = await waitFor(() => receiver.ofType('invoice.payment_failed')[0]);
    expect((failed.event.data.object as Stripe.Invoice).attempt_count).toBe(1);
    await waitFor(() => receiver.ofType('payment_intent.payment_failed')[0]);

    await emu.control.advanceClock(12 * DAY);
    const canceled = await stripe.subscriptions.retrieve(subscription.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.cancellation_details?.reason).toBe('payment_failed');
    await waitFor(() => receiver.ofType('customer.subscription.deleted')[0]);
  });

  it('recovers a past_due subscription when the invoice is paid with a new card', async () => {
    const { subscription, customer } = await subscribe(stripe, emu, catalog.team, 1, '4000000000000341');
    const end = subscription.items.data[0]?.current_period_end ?? 0;
    await emu.control.advanceClock(end - (await emu.control.now()) + 60);
    const sub = await stripe.subscriptions.retrieve(subscription.id);
    expect(sub.status).toBe('past_due');
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer });
    await stripe.subscriptions.update(sub.id, { default_payment_method: pm.id });
    const paid = await stripe.invoices.pay(sub.latest_invoice as string);
    expect(paid.status).toBe('paid');
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
  });

  it('upgrades with always_invoice and bills the prorated difference now', async () => {
    const { subscription } = await subscribe(stripe, emu, catalog.team, 1);
    const item = subscription.items.data[0];
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item?.id, price: catalog.business.id, quantity: 1 }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect(invoice.billing_reason).toBe('subscription_update');
    expect(invoice.status).toBe('paid');
    expect(invoice.amount_paid).toBeGreaterThan(1400);
    expect(invoice.amount_paid).toBeLessThanOrEqual(1500);
    expect(updated.items.data[0]?.price.id).toBe(catalog.business.id);
  });

  it('cancels immediately', async () => {
    const { subscription } = await subscribe(stripe, emu, catalog.team, 1);
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe('canceled');
    await waitFor(() => receiver.ofType('customer.subscription.deleted')[0]);
    await expect(stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true })).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
