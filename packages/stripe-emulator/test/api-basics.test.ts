import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useEmulator } from './helpers';

const env = useEmulator();

describe('customers', () => {
  it('creates, retrieves, updates and lists by email', async () => {
    const created = await env.stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { accountId: 'acct_1' },
    });
    expect(created.id).toMatch(/^cus_/);
    expect(created.object).toBe('customer');
    expect(created.created).toBeTypeOf('number');
    expect(created.metadata).toEqual({ accountId: 'acct_1' });

    const updated = await env.stripe.customers.update(created.id, { metadata: { plan: 'team' }, name: 'Ada L.' });
    expect(updated.metadata).toEqual({ accountId: 'acct_1', plan: 'team' });
    expect(updated.name).toBe('Ada L.');

    const again = await env.stripe.customers.retrieve(created.id);
    expect(again).toMatchObject({ id: created.id, name: 'Ada L.' });

    await env.stripe.customers.create({ email: 'other@example.com' });
    const byEmail = await env.stripe.customers.list({ email: 'ada@example.com' });
    expect(byEmail.object).toBe('list');
    expect(byEmail.data.map((c) => c.id)).toEqual([created.id]);
  });

  it('paginates newest first with starting_after', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await env.stripe.customers.create({ email: `page${i}@example.com` })).id);
    const first = await env.stripe.customers.list({ limit: 2 });
    expect(first.has_more).toBe(true);
    expect(first.data[0]?.id).toBe(ids[2]);
    const next = await env.stripe.customers.list({ limit: 2, starting_after: first.data[1]?.id });
    expect(next.data[0]?.id).toBe(ids[0]);
  });

  it('sets the default payment method through invoice_settings', async () => {
    const customer = await env.stripe.customers.create({ email: 'pm@example.com' });
    const pm = await env.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(pm.id).toMatch(/^pm_/);
    expect(pm.id).not.toBe('pm_card_visa');
    expect(pm.card?.last4).toBe('4242');
    const updated = await env.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: pm.id },
      expand: ['invoice_settings.default_payment_method'],
    });
    const expanded = updated.invoice_settings.default_payment_method as Stripe.PaymentMethod;
    expect(expanded.id).toBe(pm.id);
    const listed = await env.stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(listed.data.map((x) => x.id)).toEqual([pm.id]);
    const detached = await env.stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
  });
});

describe('products and prices', () => {
  it('finds prices by lookup key and transfers a key', async () => {
    const product = await env.stripe.products.create({ name: 'Personal' });
    const personalMonthly = (unitAmount: number, extra: Partial<Stripe.PriceCreateParams>) =>
      env.stripe.prices.create({
        product: product.id,
        currency: 'eur',
        unit_amount: unitAmount,
        recurring: { interval: 'month' },
        lookup_key: 'personal_monthly',
        ...extra,
      });
    const monthly = await personalMonthly(900, { metadata: { plan: 'personal' } });
    expect(monthly.lookup_key).toBe('personal_monthly');
    expect(monthly.recurring?.interval).toBe('month');
    expect(String(monthly.unit_amount_decimal)).toBe('900');

    await expect(
      env.stripe.prices.create({
        product: product.id,
        currency: 'eur',
        unit_amount: 990,
        lookup_key: 'personal_monthly',
      }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);

    const replacement = await personalMonthly(990, { transfer_lookup_key: true });
    const found = await env.stripe.prices.list({ lookup_keys: ['personal_monthly'], expand: ['data.product'] });
    expect(found.data.map((p) => p.id)).toEqual([replacement.id]);
    expect((found.data[0]?.product as Stripe.Product | undefined)?.name).toBe('Personal');
    expect((await env.stripe.prices.retrieve(monthly.id)).lookup_key).toBeNull();

    const archived = await env.stripe.prices.update(monthly.id, { active: false });
    expect(archived.active).toBe(false);
    const active = await env.stripe.prices.list({ active: true, product: product.id });
    expect(active.data.map((p) => p.id)).toEqual([replacement.id]);

    const products = await env.stripe.products.list({ active: true });
    expect(products.data.some((p) => p.id === product.id)).toBe(true);
    const renamed = await env.stripe.products.update(product.id, { name: 'Personal plan' });
    expect(renamed.name).toBe('Personal plan');
  });
});

describe('errors', () => {
  it('maps a missing object to StripeInvalidRequestError 404 resource_missing', async () => {
    const err = await env.stripe.customers.retrieve('cus_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
  });

  it('rejects unknown and malformed parameters', async () => {
    const unknown = await env.stripe.customers
      .create({ emial: 'x' } as unknown as Stripe.CustomerCreateParams)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'emial' });
    const missing = await env.stripe.prices
      .create({ unit_amount: 100 } as unknown as Stripe.PriceCreateParams)
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'currency' });
  });

  it('answers 401 without a secret key', async () => {
    const res = await fetch(`${env.emu.url}/v1/customers`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    const bad = new Stripe('pk_test_wrong', { host: env.emu.host, port: env.emu.port, protocol: 'http' });
    await expect(bad.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('parses nested brackets and arrays from raw form bodies', async () => {
    const res = await fetch(`${env.emu.url}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_raw', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=raw%40example.com&metadata[a]=1&metadata[b]=two+words&expand[]=invoice_settings.default_payment_method',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Stripe.Customer;
    expect(body.metadata).toEqual({ a: '1', b: 'two words' });
    expect(body.email).toBe('raw@example.com');
  });
});
