import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startStripeEmulator } from '../src/index';
import { sdk, seedCatalog, subscribe } from './helpers';

let emu: RunningEmulator;
let stripe: Stripe;
let catalog: Awaited<ReturnType<typeof seedCatalog>>;

beforeAll(async () => {
  emu = await startStripeEmulator();
  stripe = sdk(emu);
  catalog = await seedCatalog(stripe);
});
afterAll(async () => {
  await emu.stop();
});

describe('subscriptions API', () => {
  it('creates a subscription directly for a customer with a saved card', async () => {
    const customer = await stripe.customers.create({ email: 'direct@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.team.id, quantity: 2 }],
      default_payment_method: pm.id,
      metadata: { accountId: 'acct_direct' },
      expand: ['latest_invoice.payments'],
    });
    expect(sub.status).toBe('active');
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice.status).toBe('paid');
    const payment = invoice.payments?.data[0];
    expect(payment?.payment.payment_intent).toMatch(/^pi_/);
    const pi = await stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
    expect(pi).toMatchObject({ status: 'succeeded', amount: 3000 });
    const listed = await stripe.subscriptions.list({ customer: customer.id, expand: ['data.default_payment_method'] });
    expect((listed.data[0]?.default_payment_method as Stripe.PaymentMethod | undefined)?.id).toBe(pm.id);
  });

  it('refuses with error_if_incomplete when the card declines', async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await expect(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: catalog.team.id }],
        default_payment_method: pm.id,
        payment_behavior: 'error_if_incomplete',
      }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(0);
  });

  it('leaves the subscription incomplete with default_incomplete', async () => {
    const customer = await stripe.customers.create({});
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.team.id }],
      payment_behavior: 'default_incomplete',
    });
    expect(sub.status).toBe('incomplete');
  });

  it('switches monthly to yearly by invoicing now and resetting the period', async () => {
    const { subscription } = await subscribe(stripe, emu, catalog.team, 1);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id, price: catalog.teamYearly.id }],
      expand: ['latest_invoice'],
    });
    const item = updated.items.data[0];
    expect(item?.price.recurring?.interval).toBe('year');
    expect((item?.current_period_end ?? 0) - (item?.current_period_start ?? 0)).toBeGreaterThan(360 * 86_400);
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect(invoice.billing_reason).toBe('subscription_update');
    expect(invoice.amount_paid).toBeGreaterThan(13_000);
  });

  it('rejects a path that cannot be expanded', async () => {
    const customer = await stripe.customers.create({});
    await expect(stripe.customers.retrieve(customer.id, { expand: ['nope'] })).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('serves the hosted invoice page', async () => {
    const { subscription } = await subscribe(stripe, emu, catalog.business, 2);
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    const html = await (await fetch(invoice.hosted_invoice_url ?? '')).text();
    expect(html).toContain('2 × Business (at €30.00 / month)');
    expect(html).toContain('€60.00');
  });
});

describe('snapshot', () => {
  it('restores state from the snapshot file on restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-emulator-'));
    const file = join(dir, 'state.json');
    try {
      const first = await startStripeEmulator({ snapshotFile: file });
      const client = sdk(first);
      const price = await client.prices.create({
        currency: 'eur',
        unit_amount: 500,
        product_data: { name: 'Credits' },
        lookup_key: 'credits_1m',
      });
      await first.control.advanceClock(3_600);
      await first.stop();

      const second = await startStripeEmulator({ snapshotFile: file });
      try {
        const again = await sdk(second).prices.list({ lookup_keys: ['credits_1m'] });
        expect(again.data[0]?.id).toBe(price.id);
        expect(String(again.data[0]?.unit_amount_decimal)).toBe('500');
        expect(await second.control.now()).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 3_599);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
