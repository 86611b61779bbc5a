import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { subscribe, useEmulatorWithCatalog, waitFor } from './helpers';

const env = useEmulatorWithCatalog();

async function createSubscriptionSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return env.stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: env.catalog.team.id, quantity: 3 }],
    client_reference_id: 'acct_42',
    metadata: { accountId: 'acct_42' },
    subscription_data: { metadata: { accountId: 'acct_42', plan: 'team' } },
    success_url: 'http://app.local/billing/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.local/billing/cancel',
    ...extra,
  });
}

describe('checkout in subscription mode', () => {
  it('creates an open session with a hosted url', async () => {
    const session = await createSubscriptionSession({ customer_email: 'new@example.com' });
    expect(session.id).toMatch(/^cs_/);
    expect(session.url).toBe(`${env.emu.url}/c/pay/${session.id}`);
    expect(session).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
      mode: 'subscription',
      amount_total: 4500,
    });

    const page = await fetch(session.url ?? '');
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Team × 3 — €45.00 / month');
    expect(html).toContain('<label for="card_number">Card number</label>');
    expect(html).toContain('value="new@example.com"');
    expect(html).toContain('>Pay</button>');
    expect(html).toContain('href="http://app.local/billing/cancel"');

    const lines = await env.stripe.checkout.sessions.listLineItems(session.id);
    expect(lines.data[0]).toMatchObject({ quantity: 3, amount_total: 4500 });
  });

  it('completes through the control API and emits the whole chain of events', async () => {
    const customer = await env.stripe.customers.create({ email: 'owner@example.com' });
    const session = await createSubscriptionSession({ customer: customer.id });
    const { redirect } = await env.emu.control.completeCheckout(session.id, '4242 4242 4242 4242');
    expect(redirect).toBe(`http://app.local/billing/success?session_id=${session.id}`);

    const done = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription', 'customer'] });
    expect(done.status).toBe('complete');
    expect(done.payment_status).toBe('paid');
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe('active');
    expect(sub.metadata).toEqual({ accountId: 'acct_42', plan: 'team' });
    const item = sub.items.data[0];
    expect(item?.quantity).toBe(3);
    expect(item?.price.lookup_key).toBe('team_monthly');
    const now = await env.emu.control.now();
    expect(item?.current_period_start).toBeLessThanOrEqual(now);
    expect(item?.current_period_end).toBeGreaterThan(now + 27 * 86_400);

    const cus = done.customer as Stripe.Customer;
    expect(cus.id).toBe(customer.id);
    expect(cus.invoice_settings.default_payment_method).toBe(sub.default_payment_method);

    const invoices = await env.stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data).toHaveLength(1);
    expect(invoices.data[0]).toMatchObject({
      status: 'paid',
      amount_paid: 4500,
      billing_reason: 'subscription_create',
    });
    expect(invoices.data[0]?.hosted_invoice_url).toContain(env.emu.url);
    expect(sub.latest_invoice).toBe(invoices.data[0]?.id);

    await waitFor(() => env.receiver.ofType('checkout.session.completed').length === 1);
    const types = env.receiver.received.map((r) => r.event.type);
    for (const t of [
      'payment_method.attached',
      'customer.updated',
      'customer.subscription.created',
      'invoice.paid',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]) {
      expect(types).toContain(t);
    }
    expect(types.indexOf('customer.subscription.created')).toBeLessThan(types.indexOf('invoice.paid'));
    expect(types.indexOf('invoice.paid')).toBeLessThan(types.indexOf('checkout.session.completed'));
    const completed = env.receiver.ofType('checkout.session.completed')[0]?.event.data
      .object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ client_reference_id: 'acct_42', subscription: sub.id, customer: customer.id });
  });

  it('creates the customer when none was given', async () => {
    const { subscription, customer } = await subscribe(env.stripe, env.emu, env.catalog.business, 2);
    expect(customer).toMatch(/^cus_/);
    expect(subscription.items.data[0]?.price.id).toBe(env.catalog.business.id);
    expect((await env.stripe.customers.retrieve(customer)) as Stripe.Customer).toMatchObject({
      email: 'owner@example.com',
    });
    await waitFor(() => env.receiver.ofType('customer.created').length === 1);
  });

  it('completes by posting the hosted page form', async () => {
    const session = await createSubscriptionSession({ customer_email: 'form@example.com' });
    const res = await fetch(session.url ?? '', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'form@example.com', card_number: '4242 4242 4242 4242' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://app.local/billing/success?session_id=${session.id}`);
    const done = await env.stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    expect(done.subscription).toMatch(/^sub_/);
  });

  it('keeps the session open when the card is declined', async () => {
    const session = await createSubscriptionSession({ customer_email: 'declined@example.com' });
    const res = await fetch(session.url ?? '', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ card_number: '4000000000000002' }).toString(),
    });
    expect(res.status).toBe(402);
    expect(await res.text()).toContain('Your card was declined.');
    await expect(env.emu.control.completeCheckout(session.id, '4000000000009995')).rejects.toThrow(
      /insufficient funds/,
    );
    expect((await env.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    const { redirect } = await env.emu.control.completeCheckout(session.id, '4242424242424242');
    expect(redirect).toContain(session.id);
    await expect(env.emu.control.completeCheckout(session.id, '4242424242424242')).rejects.toThrow(/no longer active/);
  });
});

describe('checkout in setup mode', () => {
  it('saves a card for off-session use and reports the setup intent', async () => {
    const customer = await env.stripe.customers.create({ email: 'setup@example.com' });
    const session = await env.stripe.checkout.sessions.create({
      mode: 'setup',
      customer: customer.id,
      currency: 'eur',
      success_url: 'http://app.local/card/done?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://app.local/card/cancel',
    });
    const html = await (await fetch(session.url ?? '')).text();
    expect(html).toContain('>Save card</button>');

    await env.emu.control.completeCheckout(session.id, '4000002500003155');
    const done = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
    const seti = done.setup_intent as Stripe.SetupIntent;
    expect(seti).toMatchObject({ status: 'succeeded', customer: customer.id, usage: 'off_session' });
    await waitFor(() => env.receiver.ofType('setup_intent.succeeded').length === 1);

    const pi = await env.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      customer: customer.id,
      payment_method: seti.payment_method as string,
      off_session: true,
      confirm: true,
    });
    expect(pi.status).toBe('succeeded');
  });
});
