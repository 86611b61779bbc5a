import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useEmulator } from './helpers';

const env = useEmulator();

async function paymentSession(customer: string) {
  return env.stripe.checkout.sessions.create({
    mode: 'payment',
    customer,
    line_items: [
      { price_data: { currency: 'eur', unit_amount: 1000, product_data: { name: 'Credits 2.5M' } }, quantity: 1 },
    ],
    metadata: { accountId: 'acct_1' },
    payment_intent_data: { metadata: { creditPaymentId: 'pay_1' }, description: 'Contox credits' },
    success_url: 'http://app.local/credits?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.local/credits',
  });
}

/** Submits the hosted page as a browser does; returns where it sends the payer, or the page it shows. */
async function submit(url: string, fields: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

describe('checkout in payment mode', () => {
  it('charges a plain card at once, with payment_intent_data on the PaymentIntent', async () => {
    const customer = await env.stripe.customers.create({});
    const session = await paymentSession(customer.id);
    expect(session).toMatchObject({ amount_total: 1000, currency: 'eur', payment_intent: null });
    const page = await submit(session.url ?? '', { card_number: '4242424242424242' });
    expect(page.location).toBe(`http://app.local/credits?session_id=${session.id}`);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', customer: customer.id });
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ status: 'succeeded', amount: 1000, customer: customer.id });
    expect(pi.metadata).toEqual({ creditPaymentId: 'pay_1' });
    // A one-off payment without setup_future_usage saves no card.
    expect((await env.stripe.paymentMethods.list({ customer: customer.id })).data).toHaveLength(0);
  });

  it.each(['4000002760003184', '4000002500003155'])(
    'asks %s for 3-D Secure and charges once completed',
    async (card) => {
      const customer = await env.stripe.customers.create({});
      const session = await paymentSession(customer.id);
      const first = await submit(session.url ?? '', { card_number: card });
      expect(first.location).toBe(`/c/pay/${session.id}/authenticate`);
      const waiting = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
      expect(waiting.status).toBe('open');
      expect((waiting.payment_intent as Stripe.PaymentIntent).status).toBe('requires_action');
      const challenge = await fetch(`${env.emu.url}${first.location}`);
      expect(await challenge.text()).toContain('Complete authentication');
      const answered = await submit(`${env.emu.url}${first.location}`, { outcome: 'complete' });
      expect(answered.location).toBe(`http://app.local/credits?session_id=${session.id}`);
      const done = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
      expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
      expect((done.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
    },
  );

  it('keeps the session open after a failed challenge, and the same PaymentIntent pays with another card', async () => {
    const customer = await env.stripe.customers.create({});
    const session = await paymentSession(customer.id);
    const first = await submit(session.url ?? '', { card_number: '4000002760003184' });
    const failed = await submit(`${env.emu.url}${first.location}`, { outcome: 'fail' });
    expect(failed.status).toBe(402);
    expect(failed.html).toContain('unable to authenticate');
    const open = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    const pi = open.payment_intent as Stripe.PaymentIntent;
    expect(open.status).toBe('open');
    expect(pi).toMatchObject({ status: 'requires_payment_method' });
    expect(pi.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    await env.emu.control.completeCheckout(session.id, '4242424242424242');
    const done = await env.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_intent: pi.id });
    expect((await env.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
  });

  it('answers the challenge through the control API', async () => {
    const customer = await env.stripe.customers.create({});
    const session = await paymentSession(customer.id);
    await expect(
      env.emu.control.completeCheckout(session.id, '4000002760003184', { authentication: 'fail' }),
    ).rejects.toThrow(/unable to authenticate/);
    await env.emu.control.completeCheckout(session.id, '4000002760003184', { authentication: 'complete' });
    expect((await env.stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe('paid');
  });
});
