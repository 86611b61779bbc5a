import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { scaled } from '../../db/src/testing/time-scale';
import { sdk, useEmulator } from './helpers';

const env = useEmulator();

async function customerWith(token: string): Promise<{ customer: string; pm: string }> {
  const customer = await env.stripe.customers.create({ email: `${token}@example.com` });
  const pm = await env.stripe.paymentMethods.attach(token, { customer: customer.id });
  await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { customer: customer.id, pm: pm.id };
}

function offSession(customer: string, payment_method?: string) {
  return env.stripe.paymentIntents.create({
    amount: 1000,
    currency: 'eur',
    customer,
    ...(payment_method ? { payment_method } : {}),
    off_session: true,
    confirm: true,
    description: 'Credit pack credits_2_5m',
    metadata: { packId: 'credits_2_5m' },
  });
}

describe('off-session payment intents', () => {
  it('succeeds with pm_card_visa and records a charge', async () => {
    const { customer, pm } = await customerWith('pm_card_visa');
    const pi = await offSession(customer, pm);
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 1000, customer, payment_method: pm });
    expect(pi.latest_charge).toMatch(/^ch_/);
    expect(pi.metadata).toEqual({ packId: 'credits_2_5m' });
    const expanded = await env.stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'customer'] });
    expect((expanded.latest_charge as Stripe.Charge).paid).toBe(true);
    expect((expanded.customer as Stripe.Customer).id).toBe(customer);
    const listed = await env.stripe.paymentIntents.list({ customer });
    expect(listed.data.map((x) => x.id)).toEqual([pi.id]);
  });

  it("falls back to the customer's default payment method", async () => {
    const { customer, pm } = await customerWith('pm_card_visa');
    expect((await offSession(customer)).payment_method).toBe(pm);
  });

  it('refuses to attach cards that always decline', async () => {
    const customer = await env.stripe.customers.create({});
    const err = await env.stripe.paymentMethods
      .attach('pm_card_chargeDeclined', { customer: customer.id })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
    [
      'pm_card_authenticationRequired',
      'authentication_required',
      'authentication_required',
      'Your card was declined. This transaction requires authentication.',
    ],
  ])('%s fails with %s / %s', async (token, code, declineCode, message) => {
    const customer = await env.stripe.customers.create({});
    const err = await offSession(customer.id, token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardErr = err as Stripe.errors.StripeCardError;
    expect(cardErr).toMatchObject({ statusCode: 402, code, decline_code: declineCode, message });
    const pi = cardErr.payment_intent;
    expect(pi?.status).toBe('requires_payment_method');
    expect(pi?.last_payment_error?.code).toBe(code);
    const stored = await env.stripe.paymentIntents.retrieve(pi?.id ?? '');
    expect(stored.status).toBe('requires_payment_method');
  });

  it('pm_card_chargeCustomerFail attaches but every charge fails', async () => {
    const { customer, pm } = await customerWith('pm_card_chargeCustomerFail');
    await expect(offSession(customer, pm)).rejects.toMatchObject({ code: 'card_declined' });
  });

  it('pm_card_authenticationRequiredSetupForOffSession needs a setup first', async () => {
    const { customer, pm } = await customerWith('pm_card_authenticationRequiredSetupForOffSession');
    await expect(offSession(customer, pm)).rejects.toMatchObject({ code: 'authentication_required' });
    const session = await env.stripe.checkout.sessions.create({
      mode: 'setup',
      customer,
      currency: 'eur',
      success_url: 'http://app.local/ok',
    });
    await env.emu.control.completeCheckout(session.id, '4000 0025 0000 3155');
    const done = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
    const setUp = (done.setup_intent as Stripe.SetupIntent).payment_method as string;
    expect((await offSession(customer, setUp)).status).toBe('succeeded');
  });

  it('pm_card_authenticationRequired stays authentication_required even after checkout', async () => {
    const customer = await env.stripe.customers.create({});
    const session = await env.stripe.checkout.sessions.create({
      mode: 'setup',
      customer: customer.id,
      currency: 'eur',
      success_url: 'http://x/ok',
    });
    await env.emu.control.completeCheckout(session.id, '4000002760003184');
    const seti = (await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] }))
      .setup_intent as Stripe.SetupIntent;
    await expect(offSession(customer.id, seti.payment_method as string)).rejects.toMatchObject({
      code: 'authentication_required',
    });
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and params', async () => {
    const params = { email: 'idem@example.com', metadata: { accountId: 'acct_9' } };
    const a = await env.stripe.customers.create(params, { idempotencyKey: 'idem-customer-1' });
    const b = await env.stripe.customers.create(params, { idempotencyKey: 'idem-customer-1' });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await env.stripe.customers.list({ email: 'idem@example.com' })).data).toHaveLength(1);
  });

  it('replays a saved error too', async () => {
    const customer = await env.stripe.customers.create({});
    const run = () =>
      env.stripe.paymentIntents.create(
        {
          amount: 700,
          currency: 'eur',
          customer: customer.id,
          payment_method: 'pm_card_chargeDeclined',
          off_session: true,
          confirm: true,
        },
        { idempotencyKey: 'idem-decline-1' },
      );
    const first = (await run().catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    const second = (await run().catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(second).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(second.payment_intent?.id).toBe(first.payment_intent?.id);
    expect((await env.stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it('rejects the same key with different params', async () => {
    await env.stripe.customers.create({ email: 'k1@example.com' }, { idempotencyKey: 'idem-mismatch' });
    const err = await env.stripe.customers
      .create({ email: 'k2@example.com' }, { idempotencyKey: 'idem-mismatch' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
  });

  it('lets the SDK retry a 500 with its own key without double-creating', async () => {
    const retrying = sdk(env.emu, { maxNetworkRetries: 2 });
    await env.emu.control.failNext(1, '500');
    const c = await retrying.customers.create({ email: 'retry500@example.com' });
    expect(c.id).toMatch(/^cus_/);
    expect((await env.stripe.customers.list({ email: 'retry500@example.com' })).data).toHaveLength(1);
  });

  it('lets the SDK retry a lost response (timeout) and replays the saved result', async () => {
    const retrying = sdk(env.emu, { maxNetworkRetries: 1, timeout: scaled(300) });
    await env.emu.control.failNext(1, 'timeout', scaled(1_000));
    const c = await retrying.customers.create({ email: 'retrytimeout@example.com' });
    expect(c.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await env.stripe.customers.list({ email: 'retrytimeout@example.com' })).data).toHaveLength(1);
  });
});

describe('API fault injection', () => {
  it('surfaces 500, 429 and a timeout to an SDK that does not retry', async () => {
    const client = sdk(env.emu, { maxNetworkRetries: 0, timeout: scaled(300) });
    await env.emu.control.failNext(1, '500');
    await expect(client.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await env.emu.control.failNext(1, '429');
    await expect(client.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    await env.emu.control.failNext(1, 'timeout', scaled(800));
    await expect(client.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await expect(client.customers.list()).resolves.toMatchObject({ object: 'list' });
  });
});
