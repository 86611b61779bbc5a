import type Stripe from 'stripe';
import { ApiError, invalidRequest, notFound } from '../errors';
import type { Params } from '../form';
import { newId, newSecret } from '../ids';
import { matchingParams, newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type CheckoutExtra, type CheckoutLine, type Ctx, clone, nowOf } from '../state';
import { createCustomer, getCustomer, setDefaultPaymentMethod } from './customers';
import { emit } from './events';
import { attachPaymentMethod, cardForNumber, createCardPaymentMethod, markOffSessionReady } from './payment-methods';
import { answerCheckoutChallenge, type PaymentStep, payCheckout } from './checkout-payment';
import { createPrice, getPrice } from './prices';
import { describeItem, startSubscription } from './subscriptions';

const MODES = ['subscription', 'setup', 'payment'] as const;
const SESSION_LIFETIME_SECONDS = 24 * 60 * 60;

export function getCheckoutSession(ctx: Ctx, id: string): Stripe.Checkout.Session {
  const cs = ctx.em.store.checkoutSessions.get(id);
  if (!cs) throw notFound('checkout.session', id);
  return cs;
}

export function checkoutLines(ctx: Ctx, id: string): CheckoutLine[] {
  return ctx.em.store.checkoutExtras.get(id)?.lines ?? [];
}

export function lineItemsOf(ctx: Ctx, cs: Stripe.Checkout.Session): Stripe.LineItem[] {
  return checkoutLines(ctx, cs.id).map((line) => {
    const price = getPrice(ctx, line.price);
    const amount = (price.unit_amount ?? 0) * line.quantity;
    return {
      id: newId('li'),
      object: 'item',
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: price.currency,
      description: describeItem(ctx, price, line.quantity),
      metadata: {},
      price: clone(price),
      quantity: line.quantity,
    };
  });
}

/** A line's `price`, or the one-off price its `price_data` describes (created inactive, as Stripe does). */
function linePrice(ctx: Ctx, li: Params, i: number): Stripe.Price {
  const data = li.obj('price_data');
  if (!data) return getPrice(ctx, li.reqStr('price'), `line_items[${i}][price]`);
  const price = createPrice(ctx, data);
  price.active = false;
  return price;
}

function paymentIntentData(p: Params): CheckoutExtra['paymentIntentData'] {
  const data = p.obj('payment_intent_data');
  return {
    metadata: data?.metadata('metadata') ?? {},
    description: data?.str('description') ?? null,
    setupFutureUsage: data?.oneOf('setup_future_usage', ['off_session', 'on_session'] as const) ?? null,
  };
}

function createSession(ctx: Ctx, p: Params): Stripe.Checkout.Session {
  const mode = p.oneOf('mode', MODES);
  if (!mode) throw invalidRequest('Missing required param: mode.', 'mode', 'parameter_missing');
  const uiMode = p.str('ui_mode') ?? 'hosted';
  const successUrl = p.str('success_url') ?? null;
  if (uiMode === 'hosted' && !successUrl) {
    throw invalidRequest('Missing required param: success_url.', 'success_url', 'parameter_missing');
  }
  const customerId = p.str('customer') ?? null;
  const customer = customerId ? getCustomer(ctx, customerId, 'customer') : null;
  const lines: CheckoutLine[] = p.list('line_items').map((li, i) => {
    const price = linePrice(ctx, li, i);
    if (mode === 'subscription' && !price.recurring) {
      throw invalidRequest(
        'You must provide at least one recurring price in `subscription` mode when using prices.',
        `line_items[${i}][price]`,
      );
    }
    if (mode === 'payment' && price.recurring) {
      throw invalidRequest(
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
        `line_items[${i}][price]`,
      );
    }
    const quantity = li.int('quantity') ?? 1;
    if (quantity < 1) throw invalidRequest('Quantity must be at least 1.', `line_items[${i}][quantity]`);
    return { price: price.id, quantity };
  });
  if (mode !== 'setup' && lines.length === 0) {
    throw invalidRequest(`\`line_items\` is required in \`${mode}\` mode.`, 'line_items', 'parameter_missing');
  }
  const prices = lines.map((l) => getPrice(ctx, l.price));
  const currency = p.str('currency')?.toLowerCase() ?? prices[0]?.currency ?? null;
  const amount = lines.reduce((s, l, i) => s + (prices[i]?.unit_amount ?? 0) * l.quantity, 0);
  const now = nowOf(ctx);
  const id = newId('cs_test');
  const subscriptionData = p.obj('subscription_data');
  const cs: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: p.bool('allow_promotion_codes') ?? null,
    allowed_payment_method_types: null,
    amount_subtotal: mode === 'setup' ? null : amount,
    amount_total: mode === 'setup' ? null : amount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: p.str('cancel_url') ?? null,
    client_reference_id: p.str('client_reference_id') ?? null,
    client_secret: uiMode === 'hosted' ? null : newSecret(id),
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: customer?.id ?? null,
    customer_account: null,
    customer_creation: customer ? null : mode === 'payment' ? 'if_required' : 'always',
    customer_details: customer
      ? {
          address: null,
          business_name: null,
          email: customer.email,
          individual_name: null,
          name: customer.name ?? null,
          phone: null,
          tax_exempt: 'none',
          tax_ids: [],
        }
      : null,
    customer_email: p.str('customer_email') ?? null,
    discounts: [],
    expires_at: p.int('expires_at') ?? now + SESSION_LIFETIME_SECONDS,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: p.metadata('metadata') ?? {},
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: mode === 'payment' ? null : 'always',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_status: mode === 'setup' ? 'no_payment_required' : 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: successUrl,
    total_details: mode === 'setup' ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: uiMode as Stripe.Checkout.Session.UiMode,
    url: uiMode === 'hosted' ? `${ctx.em.publicUrl}/c/pay/${id}` : null,
    wallet_options: null,
  };
  ctx.em.store.checkoutSessions.set(id, cs);
  ctx.em.store.checkoutExtras.set(id, {
    lines,
    subscriptionMetadata: subscriptionData?.metadata('metadata') ?? {},
    ...(mode === 'payment' ? { paymentIntentData: paymentIntentData(p) } : {}),
  });
  return cs;
}

function createSetupIntent(ctx: Ctx, customer: string, pm: Stripe.PaymentMethod): Stripe.SetupIntent {
  const id = newId('seti');
  const seti: Stripe.SetupIntent = {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: newSecret(id),
    created: nowOf(ctx),
    customer,
    description: null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: pm.id,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'requires_confirmation',
    usage: 'off_session',
  };
  ctx.em.store.setupIntents.set(id, seti);
  emit(ctx, 'setup_intent.created', seti);
  seti.status = 'succeeded';
  emit(ctx, 'setup_intent.succeeded', seti);
  return seti;
}

export type CompletionResult =
  | { ok: true; redirect: string }
  | { ok: false; message: string; code: string }
  /** The card asks for 3-D Secure: the payer answers the challenge of this PaymentIntent first. */
  | { ok: false; message: string; code: 'authentication_required'; challenge: string };

export interface PayerDetails {
  email?: string | null;
  name?: string | null;
}

/**
 * What the payer does on a 3-D Secure challenge: `ask` leaves it open for the hosted page's challenge step;
 * `complete` and `fail` answer it at once (the control API, for tests without a browser).
 */
export type Authentication = 'ask' | 'complete' | 'fail';

function openSession(ctx: Ctx, sessionId: string): Stripe.Checkout.Session | CompletionResult {
  const cs = getCheckoutSession(ctx, sessionId);
  if (cs.status === 'open' && cs.expires_at <= nowOf(ctx)) {
    cs.status = 'expired';
    emit(ctx, 'checkout.session.expired', cs);
  }
  if (cs.status !== 'open') {
    return { ok: false, code: 'checkout_session_inactive', message: 'This Checkout Session is no longer active.' };
  }
  return cs;
}

function typedCard(cardNumber: string): ReturnType<typeof cardForNumber> | CompletionResult {
  let card: ReturnType<typeof cardForNumber>;
  try {
    card = cardForNumber(cardNumber);
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, code: e.body.code ?? 'card_error', message: e.message };
    throw e;
  }
  if (card.behaviour === 'decline') {
    return { ok: false, code: 'card_declined', message: 'Your card was declined.' };
  }
  if (card.behaviour === 'insufficient_funds') {
    return { ok: false, code: 'card_declined', message: 'Your card has insufficient funds.' };
  }
  return card;
}

/**
 * What submitting the hosted page does. Shared by the HTML form and the control API so a
 * test without a browser walks exactly the same path.
 */
export function completeCheckout(
  ctx: Ctx,
  sessionId: string,
  cardNumber: string,
  payer: PayerDetails = {},
  authentication: Authentication = 'complete',
): CompletionResult {
  const cs = openSession(ctx, sessionId);
  if ('ok' in cs) return cs;
  const card = typedCard(cardNumber);
  if ('ok' in card) return card;
  const email = payer.email?.trim() || cs.customer_email || cs.customer_details?.email || null;
  const name = payer.name?.trim() || null;
  const needsCustomer = cs.mode !== 'payment' || cs.customer_creation === 'always';
  let customerId = typeof cs.customer === 'string' ? cs.customer : (cs.customer?.id ?? null);
  if (!customerId && needsCustomer) customerId = createCustomer(ctx, { email, name }).id;
  const pm = createCardPaymentMethod(ctx, card, { email, name });
  // A one-off payment saves its card on the customer only when asked to (`setup_future_usage`).
  const keepCard =
    cs.mode !== 'payment' || !!ctx.em.store.checkoutExtras.get(cs.id)?.paymentIntentData?.setupFutureUsage;
  if (customerId && keepCard) attachPaymentMethod(ctx, pm, customerId);

  if (cs.mode === 'subscription' && customerId) {
    markOffSessionReady(ctx, pm.id);
    setDefaultPaymentMethod(ctx, getCustomer(ctx, customerId), pm.id);
    const extra = ctx.em.store.checkoutExtras.get(cs.id);
    const sub = startSubscription(ctx, {
      customer: customerId,
      items: (extra?.lines ?? []).map((l) => ({ price: getPrice(ctx, l.price), quantity: l.quantity })),
      metadata: { ...(extra?.subscriptionMetadata ?? {}) },
      defaultPaymentMethod: pm.id,
      mode: 'authenticated',
      paymentBehavior: 'allow_incomplete',
    });
    cs.subscription = sub.id;
    cs.invoice = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : (sub.latest_invoice?.id ?? null);
    cs.payment_status = 'paid';
  } else if (cs.mode === 'setup' && customerId) {
    markOffSessionReady(ctx, pm.id);
    cs.setup_intent = createSetupIntent(ctx, customerId, pm).id;
  } else if (cs.mode === 'payment') {
    cs.customer = customerId;
    const extra = ctx.em.store.checkoutExtras.get(cs.id);
    if (extra) extra.payer = { email, name };
    const step = payCheckout(ctx, cs, pm, customerId);
    if (step.kind === 'challenge' && authentication !== 'ask') {
      return answerChallenge(ctx, cs.id, authentication === 'complete');
    }
    return afterPayment(ctx, cs, step);
  }
  return finishCheckout(ctx, cs, customerId, { email, name });
}

function afterPayment(ctx: Ctx, cs: Stripe.Checkout.Session, step: PaymentStep): CompletionResult {
  if (step.kind === 'failed') return { ok: false, code: step.code, message: step.message };
  if (step.kind === 'challenge') {
    return {
      ok: false,
      code: 'authentication_required',
      message: 'Your bank asks you to authenticate this payment.',
      challenge: step.paymentIntent,
    };
  }
  cs.payment_status = 'paid';
  const payer = ctx.em.store.checkoutExtras.get(cs.id)?.payer ?? { email: null, name: null };
  const customerId = typeof cs.customer === 'string' ? cs.customer : (cs.customer?.id ?? null);
  return finishCheckout(ctx, cs, customerId, payer);
}

/** The payer's answer on the 3-D Secure challenge a payment-mode session is waiting for. */
export function answerChallenge(ctx: Ctx, sessionId: string, passed: boolean): CompletionResult {
  const cs = openSession(ctx, sessionId);
  if ('ok' in cs) return cs;
  try {
    return afterPayment(ctx, cs, answerCheckoutChallenge(ctx, cs, passed));
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, code: e.body.code ?? 'invalid_request', message: e.message };
    throw e;
  }
}

function finishCheckout(
  ctx: Ctx,
  cs: Stripe.Checkout.Session,
  customerId: string | null,
  payer: { email: string | null; name: string | null },
): CompletionResult {
  cs.status = 'complete';
  cs.customer = customerId;
  cs.customer_details = {
    address: null,
    business_name: null,
    email: payer.email,
    individual_name: null,
    name: payer.name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  emit(ctx, 'checkout.session.completed', cs);
  return { ok: true, redirect: (cs.success_url ?? '').replace('{CHECKOUT_SESSION_ID}', cs.id) };
}

export const checkoutSessionRoutes = [
  route(
    'POST',
    '/v1/checkout/sessions',
    [
      'mode',
      'line_items',
      'customer',
      'customer_email',
      'client_reference_id',
      'metadata',
      'subscription_data',
      'success_url',
      'cancel_url',
      'currency',
      'payment_method_types',
      'allow_promotion_codes',
      'billing_address_collection',
      'locale',
      'expires_at',
      'ui_mode',
      'customer_creation',
      'customer_update',
      'payment_method_collection',
      'payment_intent_data',
      'setup_intent_data',
      'automatic_tax',
      'tax_id_collection',
      'consent_collection',
      'invoice_creation',
      'submit_type',
    ],
    (ctx, p) => createSession(ctx, p),
  ),
  route(
    'GET',
    '/v1/checkout/sessions',
    ['customer', 'subscription', 'payment_intent', 'status', 'limit', 'starting_after', 'ending_before', 'created'],
    (ctx, p) => {
      const items = newestFirst(ctx.em.store.checkoutSessions.values()).filter(
        matchingParams(p, {
          customer: (cs) => cs.customer,
          subscription: (cs) => cs.subscription,
          payment_intent: (cs) => cs.payment_intent,
          status: (cs) => cs.status,
        }),
      );
      return paginate(items, p, '/v1/checkout/sessions');
    },
  ),
  route('GET', '/v1/checkout/sessions/:id', [], (ctx, _p, args) => getCheckoutSession(ctx, arg(args))),
  route('GET', '/v1/checkout/sessions/:id/line_items', ['limit', 'starting_after', 'ending_before'], (ctx, p, args) => {
    const cs = getCheckoutSession(ctx, arg(args));
    return paginate(lineItemsOf(ctx, cs), p, `/v1/checkout/sessions/${cs.id}/line_items`);
  }),
  route('POST', '/v1/checkout/sessions/:id/expire', [], (ctx, _p, args) => {
    const cs = getCheckoutSession(ctx, arg(args));
    if (cs.status !== 'open') {
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${cs.status}".`,
      );
    }
    cs.status = 'expired';
    emit(ctx, 'checkout.session.expired', cs);
    return cs;
  }),
];
