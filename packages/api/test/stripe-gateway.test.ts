import { catalogFromOverride, DomainError, defaultCatalog } from '@contox/core';
import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureCustomer } from '../src/services/accounts/ensure-customer';
import { newId } from '../src/ids';
import { syncCatalog } from '../src/stripe/catalog-sync';
import { type StripeGateway, stripeGateway } from '../src/stripe/gateway';
import { portalConfigurationId } from '../src/stripe/portal-configuration';
import { stripeErrorToDomain } from '../src/stripe/stripe-errors';
import { planOfPrice } from '../src/services/subscriptions/plan-of-price';
import { sessionIdOf, settled, stripeAttempts } from './billing-helpers';
import { type Harness, startHarness } from './harness';

describe.each(testDatabaseKinds())('Stripe gateway against the emulator, with the real SDK, on %s', (kind) => {
  let h: Harness;
  let gateway: StripeGateway;
  beforeAll(async () => {
    h = await startHarness(kind);
    gateway = stripeGateway(h.deps.stripe);
  });
  afterAll(() => h.close());
  beforeEach(() => settled(h));

  const customerFor = async () => {
    const { accountId } = await h.account();
    return { accountId, customerId: await ensureCustomer(h.deps, accountId) };
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (err: unknown) => err,
    );

  /** A subscription started the way a customer starts one: checkout, paid with a test card. */
  async function liveSubscription() {
    const { accountId, customerId } = await customerFor();
    const outcome = await gateway.subscriptionCheckout({
      accountId,
      customerId,
      planId: 'team',
      interval: 'month',
      seats: 2,
      successUrl: 'http://localhost:3000/ok',
      cancelUrl: 'http://localhost:3000/no',
    });
    if (!('url' in outcome)) throw new Error('a new customer cannot be subscribed already');
    await h.emulator.control.completeCheckout(sessionIdOf(outcome.url), '4242424242424242');
    const subs = await h.deps.stripe.subscriptions.list({ customer: customerId });
    return { accountId, customerId, sub: subs.data[0]! };
  }

  it('ensureCustomer creates one customer per account, stores it, and concurrent first uses agree', async () => {
    const { accountId } = await h.account({ name: 'Gateway Ltd' });
    const ids = await Promise.all(Array.from({ length: 5 }, () => ensureCustomer(h.deps, accountId)));
    expect(new Set(ids).size).toBe(1);
    const [row] = await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId));
    expect(row!.stripeCustomerId).toBe(ids[0]);
    const customer = await h.deps.stripe.customers.retrieve(ids[0]!);
    expect(customer).toMatchObject({ name: 'Gateway Ltd', metadata: { accountId } });
    expect(await ensureCustomer(h.deps, accountId)).toBe(ids[0]);
  });

  it('ensureCustomer keeps the customer another request stored first', async () => {
    const { accountId } = await h.account();
    const first = await h.deps.stripe.customers.create({ metadata: { accountId } });
    await h.db.db.update(schema.accounts).set({ stripeCustomerId: first.id }).where(eq(schema.accounts.id, accountId));
    expect(await ensureCustomer(h.deps, accountId)).toBe(first.id);
  });

  it('defaultPaymentMethod: none, then the first attached card, then the invoice default', async () => {
    const { customerId } = await customerFor();
    expect(await gateway.defaultPaymentMethod(customerId)).toBeNull();
    const first = await h.deps.stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
    expect(await gateway.defaultPaymentMethod(customerId)).toBe(first.id);
    const second = await h.deps.stripe.paymentMethods.attach('pm_card_mastercard', { customer: customerId });
    await h.deps.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: second.id } });
    expect(await gateway.defaultPaymentMethod(customerId)).toBe(second.id);
  });

  it('subscriptionCheckout sells the looked-up price per seat and tags the account on the subscription', async () => {
    const { accountId, sub } = await liveSubscription();
    expect(sub.metadata).toEqual({ accountId });
    expect(sub.items.data[0]).toMatchObject({
      quantity: 2,
      price: { lookup_key: 'contox_team_monthly', unit_amount: 1900 },
    });
  });

  it('portal opens a session with our configuration, and one deep-linked to confirming a plan change', async () => {
    const { customerId, sub } = await liveSubscription();
    const configuration = await portalConfigurationId(h.deps.stripe, h.deps.catalog);
    const plain = await gateway.portal({ customerId, returnUrl: 'http://localhost:3000/billing', configuration });
    expect(plain).toMatch(/\/p\/session\/bps_/);
    // Sessions are write-only on Stripe; the emulator reads one back.
    const read = await fetch(`${h.emulator.url}/v1/billing_portal/sessions/${plain.split('/').at(-1)}`, {
      headers: { authorization: 'Bearer sk_test_harness' },
    });
    expect(((await read.json()) as { configuration: string }).configuration).toBe(configuration);
    const business = await gateway.priceByLookupKey('contox_business_monthly');
    const url = await gateway.portal({
      customerId,
      returnUrl: 'http://localhost:3000/billing',
      configuration,
      updateConfirm: { subscriptionId: sub.id, itemId: sub.items.data[0]!.id, priceId: business!.id, quantity: 5 },
    });
    const page = await (await fetch(url)).text();
    expect(page).toContain('Confirm change');
  });

  it('cancelAtPeriodEnd, resume and retrieveSubscription return the subscription as Stripe has it', async () => {
    const { sub } = await liveSubscription();
    const cancelled = await gateway.cancelAtPeriodEnd(sub.id);
    expect(cancelled).toMatchObject({ id: sub.id, status: 'active', cancel_at_period_end: true });
    expect((await gateway.retrieveSubscription(sub.id)).cancel_at_period_end).toBe(true);
    const resumed = await gateway.resume(sub.id);
    expect(resumed).toMatchObject({ id: sub.id, status: 'active', cancel_at_period_end: false });
    const missing = await failure(gateway.retrieveSubscription('sub_missing'));
    expect(missing).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 404 });
  });

  it('priceByLookupKey finds the active price, or null', async () => {
    expect(await gateway.priceByLookupKey('contox_enterprise_yearly')).toMatchObject({
      unit_amount: 79_000,
      currency: 'eur',
      recurring: { interval: 'year' },
    });
    expect(await gateway.priceByLookupKey('contox_nothing_monthly')).toBeNull();
  });

  it('chargeOffSession charges in euros once per payment id, even when the answer is lost', async () => {
    const { customerId } = await customerFor();
    const card = await h.deps.stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
    const paymentId = newId('cpay');
    const charge = {
      customerId,
      paymentMethodId: card.id,
      amount: 1000,
      paymentId,
      description: 'credits',
      metadata: { packId: 'credits_2_5m' },
    };
    // The call and every one of the SDK's retries lose their answers after Stripe acted.
    // Aimed at the charge: the service's webhook handling reads events from Stripe meanwhile.
    await h.emulator.control.failNext(stripeAttempts(h), 'timeout', 50, '/v1/payment_intents');
    const lost = await failure(gateway.chargeOffSession(charge));
    expect(lost).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', message: 'Stripe is unavailable, try again' });

    const { paymentIntentId } = await gateway.chargeOffSession(charge);
    expect((await gateway.chargeOffSession(charge)).paymentIntentId).toBe(paymentIntentId);
    const intents = await h.deps.stripe.paymentIntents.list({ customer: customerId });
    expect(intents.data).toHaveLength(1);
    expect(intents.data[0]).toMatchObject({
      id: paymentIntentId,
      amount: 1000,
      currency: 'eur',
      status: 'succeeded',
      metadata: { packId: 'credits_2_5m', creditPaymentId: paymentId },
    });
  });

  it.each([
    ['pm_card_chargeCustomerFail', 'CARD_DECLINED', 'Your card was declined.'],
    ['pm_card_authenticationRequired', 'AUTHENTICATION_REQUIRED', /requires authentication/],
  ] as const)('chargeOffSession with %s fails as %s, naming the PaymentIntent', async (token, code, message) => {
    const { customerId } = await customerFor();
    const card = await h.deps.stripe.paymentMethods.attach(token, { customer: customerId });
    const err = await failure(
      gateway.chargeOffSession({
        customerId,
        paymentMethodId: card.id,
        amount: 500,
        paymentId: newId('cpay'),
        description: 'x',
        metadata: {},
      }),
    );
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      code,
      message: expect.stringMatching(message),
      details: { paymentIntentId: expect.stringMatching(/^pi_/) },
    });
  });

  it('chargeOffSession without a usable card is NO_PAYMENT_METHOD', async () => {
    const { customerId } = await customerFor();
    const err = await failure(
      gateway.chargeOffSession({
        customerId,
        paymentMethodId: 'pm_gone',
        amount: 500,
        paymentId: newId('cpay'),
        description: 'x',
        metadata: {},
      }),
    );
    expect(err).toMatchObject({ code: 'NO_PAYMENT_METHOD' });
  });

  it.each([
    ['500', 'PAYMENT_PROVIDER_UNAVAILABLE'],
    ['429', 'RATE_LIMITED'],
  ] as const)('a Stripe %s becomes %s', async (fault, code) => {
    // A 500 on every attempt the SDK makes; a 429, which it does not retry, once.
    await h.emulator.control.failNext(fault === '429' ? 1 : stripeAttempts(h), fault);
    expect(await failure(gateway.priceByLookupKey('contox_team_monthly'))).toMatchObject({ code });
  });

  it('leaves errors that are not Stripe outages or card problems alone', () => {
    const bug = new TypeError('boom');
    expect(stripeErrorToDomain(bug)).toBe(bug);
    const domain = new DomainError('CONFLICT', 'x');
    expect(stripeErrorToDomain(domain)).toBe(domain);
  });

  it('syncCatalog is idempotent, and a changed amount moves the lookup key to a new price', async () => {
    const again = await syncCatalog(h.deps.stripe, defaultCatalog);
    expect(again).toHaveLength(8);
    expect(again.every((r) => r.action === 'unchanged')).toBe(true);

    const old = await gateway.priceByLookupKey('contox_team_monthly');
    const raised = catalogFromOverride({ plans: { team: { prices: { month: 2_100 } } } });
    const changed = await syncCatalog(h.deps.stripe, raised);
    expect(changed.filter((r) => r.action !== 'unchanged')).toEqual([
      { lookupKey: 'contox_team_monthly', priceId: expect.not.stringMatching(old!.id), action: 'replaced' },
    ]);
    const current = await gateway.priceByLookupKey('contox_team_monthly');
    expect(current).toMatchObject({ unit_amount: 2_100, product: 'contox_team' });
    const previous = await h.deps.stripe.prices.retrieve(old!.id);
    expect(previous.lookup_key).toBeNull();
    // Subscribers still on the old price keep their plan.
    expect(planOfPrice(previous)).toEqual({ planId: 'team', interval: 'month' });
    expect((await syncCatalog(h.deps.stripe, raised)).every((r) => r.action === 'unchanged')).toBe(true);
    await syncCatalog(h.deps.stripe, defaultCatalog);
  });
});
