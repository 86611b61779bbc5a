import type Stripe from 'stripe';
import { type ApiError, cardError, invalidRequest, notFound } from '../errors';
import type { Params } from '../form';
import { newId, newSecret } from '../ids';
import { newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type Ctx, clone, nowOf } from '../state';
import { getCustomer } from './customers';
import { emit } from './events';
import {
  attachPaymentMethod,
  type ChargeMode,
  chargeOutcome,
  markOffSessionReady,
  resolvePaymentMethod,
} from './payment-methods';

export interface PaymentInput {
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: Stripe.PaymentMethod | null;
  mode: ChargeMode;
  confirm: boolean;
  description: string | null;
  metadata: Record<string, string>;
  setupFutureUsage?: 'off_session' | 'on_session' | null;
}

export interface PaymentResult {
  pi: Stripe.PaymentIntent;
  /** The 402 the API would answer with; the PaymentIntent is stored either way. */
  error: ApiError | null;
}

function emptyBilling(pm: Stripe.PaymentMethod | null): Stripe.Charge.BillingDetails {
  return pm ? clone(pm.billing_details) : { address: null, email: null, name: null, phone: null, tax_id: null };
}

function createCharge(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  failure: { code: string; message: string; declineCode: string } | null,
): Stripe.Charge {
  const charge: Stripe.Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: failure ? 0 : pi.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: failure ? null : newId('txn'),
    billing_details: emptyBilling(pm),
    calculated_statement_descriptor: 'CONTOX',
    captured: !failure,
    created: nowOf(ctx),
    currency: pi.currency,
    customer: typeof pi.customer === 'string' ? pi.customer : null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: clone(pi.metadata),
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: failure ? 'declined_by_network' : 'approved_by_network',
      reason: failure?.declineCode ?? null,
      risk_level: 'normal',
      seller_message: failure ? 'The bank did not return any further details with this decline.' : 'Payment complete.',
      type: failure ? 'issuer_declined' : 'authorized',
    },
    paid: !failure,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: `${ctx.em.publicUrl}/receipts/${pi.id}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: failure ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
  ctx.em.store.charges.set(charge.id, charge);
  emit(ctx, failure ? 'charge.failed' : 'charge.succeeded', charge);
  return charge;
}

/**
 * Creates (and optionally confirms) a PaymentIntent the way Stripe does: a decline still
 * leaves a stored PaymentIntent in `requires_payment_method`, reported alongside the error.
 */
export function runPayment(ctx: Ctx, input: PaymentInput): PaymentResult {
  const pm = input.paymentMethod;
  const pi: Stripe.PaymentIntent = {
    id: newId('pi'),
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: '',
    confirmation_method: 'automatic',
    created: nowOf(ctx),
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: pm?.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: input.setupFutureUsage ?? null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: pm ? 'requires_confirmation' : 'requires_payment_method',
    transfer_group: null,
  };
  pi.client_secret = newSecret(pi.id);
  ctx.em.store.paymentIntents.set(pi.id, pi);
  emit(ctx, 'payment_intent.created', pi);
  if (!input.confirm || !pm) return { pi, error: null };
  return confirmPayment(ctx, pi, pm, input.mode);
}

/** The charge of a confirmed PaymentIntent that needs nothing more from the payer. */
function succeed(ctx: Ctx, pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod): PaymentResult {
  const charge = createCharge(ctx, pi, pm, null);
  pi.status = 'succeeded';
  pi.payment_method = pm.id;
  pi.next_action = null;
  pi.last_payment_error = null;
  pi.amount_received = pi.amount;
  pi.latest_charge = charge.id;
  const customer = typeof pi.customer === 'string' ? pi.customer : null;
  if (pi.setup_future_usage === 'off_session' && customer) {
    if (!pm.customer) attachPaymentMethod(ctx, pm, customer);
    markOffSessionReady(ctx, pm.id);
  }
  emit(ctx, 'payment_intent.succeeded', pi);
  return { pi, error: null };
}

/**
 * Confirms a PaymentIntent (a new one, or one a failed attempt left in `requires_payment_method`) with a card.
 * On session, a card that asks for 3-D Secure leaves it in `requires_action` until `answerAuthentication`.
 */
export function confirmPayment(
  ctx: Ctx,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  mode: ChargeMode,
): PaymentResult {
  pi.payment_method = pm.id;
  const outcome = chargeOutcome(ctx, pm.id, mode);
  if (outcome.ok) return succeed(ctx, pi, pm);
  if (outcome.kind === 'requires_action') {
    pi.status = 'requires_action';
    pi.next_action = {
      type: 'redirect_to_url',
      redirect_to_url: { return_url: null, url: `${ctx.em.publicUrl}/3ds/${pi.id}` },
    };
    emit(ctx, 'payment_intent.requires_action', pi);
    return { pi, error: null };
  }
  // Stripe records a failed charge for issuer declines, not for a missing authentication.
  const charge = outcome.code === 'card_declined' ? createCharge(ctx, pi, pm, outcome) : null;
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.latest_charge = charge?.id ?? null;
  pi.last_payment_error = {
    type: 'card_error',
    code: outcome.code,
    decline_code: outcome.declineCode,
    message: outcome.message,
    doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, '-')}`,
    payment_method: clone(pm),
    ...(charge ? { charge: charge.id } : {}),
  };
  emit(ctx, 'payment_intent.payment_failed', pi);
  const error = cardError({
    code: outcome.code,
    declineCode: outcome.declineCode,
    message: outcome.message,
    paymentIntent: clone(pi),
    paymentMethod: clone(pm),
    ...(charge ? { charge: charge.id } : {}),
  });
  return { pi, error };
}

/**
 * The payer's answer on the 3-D Secure challenge of a PaymentIntent in `requires_action`, as Stripe's test
 * page gives it: completed, the card is charged; failed, the PaymentIntent goes back to
 * `requires_payment_method` with `payment_intent_authentication_failure`, ready for another card.
 */
export function answerAuthentication(ctx: Ctx, pi: Stripe.PaymentIntent, passed: boolean): PaymentResult {
  const pmId = typeof pi.payment_method === 'string' ? pi.payment_method : (pi.payment_method?.id ?? null);
  const pm = pmId ? ctx.em.store.paymentMethods.get(pmId) : undefined;
  if (pi.status !== 'requires_action' || !pm) {
    throw invalidRequest(
      `This PaymentIntent's status is ${pi.status}; it has no authentication to answer.`,
      undefined,
      'payment_intent_unexpected_state',
    );
  }
  if (passed) return succeed(ctx, pi, pm);
  const message =
    'We are unable to authenticate your payment method. Please choose a different payment method and try again.';
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.next_action = null;
  pi.last_payment_error = {
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    message,
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
    payment_method: clone(pm),
  };
  emit(ctx, 'payment_intent.payment_failed', pi);
  return { pi, error: cardError({ code: 'payment_intent_authentication_failure', message, paymentIntent: clone(pi) }) };
}

export function getPaymentIntent(ctx: Ctx, id: string): Stripe.PaymentIntent {
  const pi = ctx.em.store.paymentIntents.get(id);
  if (!pi) throw notFound('payment_intent', id);
  return pi;
}

function createFromParams(ctx: Ctx, p: Params): Stripe.PaymentIntent {
  const amount = p.reqInt('amount');
  if (amount < 50) throw invalidRequest('Amount must be at least €0.50 eur', 'amount', 'amount_too_small');
  const currency = p.reqStr('currency').toLowerCase();
  const customerId = p.str('customer') ?? null;
  const customer = customerId ? getCustomer(ctx, customerId, 'customer') : null;
  const offSession = p.bool('off_session') ?? false;
  const confirm = p.bool('confirm') ?? false;
  if (offSession && !confirm) {
    throw invalidRequest('`off_session` can only be used when `confirm=true`.', 'off_session');
  }
  const pmId = p.str('payment_method') ?? customer?.invoice_settings.default_payment_method ?? null;
  const pmIdString = typeof pmId === 'string' ? pmId : (pmId?.id ?? null);
  const pm = pmIdString ? resolvePaymentMethod(ctx, pmIdString) : null;
  if (pm?.customer && pm.customer !== customerId) {
    throw invalidRequest(
      'The provided PaymentMethod belongs to a different Customer than the one on this PaymentIntent.',
      'payment_method',
    );
  }
  if (confirm && !pm) {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      'payment_method',
      'payment_intent_unexpected_state',
    );
  }
  const sfu = p.oneOf('setup_future_usage', ['off_session', 'on_session'] as const) ?? null;
  const { pi, error } = runPayment(ctx, {
    amount,
    currency,
    customer: customerId,
    paymentMethod: pm,
    mode: offSession ? 'off_session' : 'on_session',
    confirm,
    description: p.str('description') ?? null,
    metadata: p.metadata('metadata') ?? {},
    setupFutureUsage: sfu,
  });
  if (error) throw error;
  return pi;
}

export const paymentIntentRoutes = [
  route(
    'POST',
    '/v1/payment_intents',
    [
      'amount',
      'currency',
      'customer',
      'payment_method',
      'off_session',
      'confirm',
      'metadata',
      'description',
      'setup_future_usage',
      'payment_method_types',
      'receipt_email',
      'statement_descriptor_suffix',
    ],
    (ctx, p) => createFromParams(ctx, p),
  ),
  route('GET', '/v1/payment_intents', ['customer', 'limit', 'starting_after', 'ending_before', 'created'], (ctx, p) => {
    const customer = p.str('customer');
    const items = newestFirst(ctx.em.store.paymentIntents.values()).filter(
      (pi) => !customer || pi.customer === customer,
    );
    return paginate(items, p, '/v1/payment_intents');
  }),
  route('GET', '/v1/payment_intents/:id', ['client_secret'], (ctx, _p, args) => getPaymentIntent(ctx, arg(args))),
  route('GET', '/v1/charges/:id', [], (ctx, _p, args) => {
    const charge = ctx.em.store.charges.get(arg(args));
    if (!charge) throw notFound('charge', arg(args));
    return charge;
  }),
  route('GET', '/v1/setup_intents/:id', ['client_secret'], (ctx, _p, args) => {
    const seti = ctx.em.store.setupIntents.get(arg(args));
    if (!seti) throw notFound('setup_intent', arg(args));
    return seti;
  }),
];
