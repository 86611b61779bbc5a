import Stripe from 'stripe';
import { type ApiError, invalidRequest, notFound } from '../errors';
import { newId } from '../ids';
import { matchingParams, newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type Ctx, nowOf } from '../state';
import { emit, emitChange } from './events';
import { runPayment } from './payment-intents';
import { type ChargeMode, resolvePaymentMethod } from './payment-methods';
import { productIdOf } from './prices';

export interface InvoiceLineInput {
  amount: number;
  description: string;
  price: Stripe.Price;
  quantity: number;
  periodStart: number;
  periodEnd: number;
  subscriptionItem: string;
  proration: boolean;
}

/** Smart Retries, simplified: up to four attempts, three days apart. */
export const MAX_PAYMENT_ATTEMPTS = 4;
export const RETRY_INTERVAL_SECONDS = 3 * 86_400;

function idOf(ref: string | { id?: string } | null | undefined): string | null {
  if (!ref) return null;
  return typeof ref === 'string' ? ref : (ref.id ?? null);
}

export function invoiceSubscriptionId(inv: Stripe.Invoice): string | null {
  return idOf(inv.parent?.subscription_details?.subscription ?? null);
}

function buildLine(invoiceId: string, subId: string, input: InvoiceLineInput): Stripe.InvoiceLineItem {
  return {
    id: newId('il'),
    object: 'line_item',
    amount: input.amount,
    currency: input.price.currency,
    description: input.description,
    discount_amounts: [],
    discountable: !input.proration,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: input.proration ? newId('ii') : null,
        proration: input.proration,
        proration_details: { credited_items: null },
        subscription: subId,
        subscription_item: input.subscriptionItem,
      },
    },
    period: { start: input.periodStart, end: input.periodEnd },
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: { price: input.price.id, product: productIdOf(input.price) },
      unit_amount_decimal: Stripe.Decimal.from(String(input.price.unit_amount ?? 0)),
    },
    quantity: input.quantity,
    quantity_decimal: Stripe.Decimal.from(String(input.quantity)),
    subscription: subId,
    subtotal: input.amount,
    taxes: [],
  };
}

/** A finalized (open) subscription invoice; paying it is a separate step, as in Stripe. */
export function createSubscriptionInvoice(
  ctx: Ctx,
  sub: Stripe.Subscription,
  reason: Stripe.Invoice.BillingReason,
  lines: InvoiceLineInput[],
  opts: { announce?: boolean } = {},
): Stripe.Invoice {
  const { store, publicUrl } = ctx.em;
  const customerId = idOf(sub.customer) ?? '';
  const customer = store.customers.get(customerId);
  const now = nowOf(ctx);
  const id = newId('in');
  const total = Math.max(
    0,
    lines.reduce((s, l) => s + l.amount, 0),
  );
  const seq = customer?.next_invoice_sequence ?? 1;
  if (customer) customer.next_invoice_sequence = seq + 1;
  const periodStart = Math.min(...lines.map((l) => l.periodStart), now);
  const periodEnd = Math.max(...lines.map((l) => l.periodEnd), now);
  const inv: Stripe.Invoice = {
    id,
    object: 'invoice',
    account_country: 'IE',
    account_name: 'Contox',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: reason,
    collection_method: 'charge_automatically',
    created: now,
    currency: sub.currency,
    custom_fields: null,
    customer: customerId,
    customer_account: null,
    customer_address: null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: now,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `${publicUrl}/i/${id}`,
    invoice_pdf: `${publicUrl}/i/${id}/pdf`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: `${customer?.invoice_prefix ?? 'EMUL'}-${String(seq).padStart(4, '0')}`,
    on_behalf_of: null,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: periodEnd,
    period_start: periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: now,
  };
  inv.lines.data = lines.map((l) => buildLine(id, sub.id, l));
  store.invoices.set(id, inv);
  inv.status = 'open';
  inv.status_transitions.finalized_at = now;
  if (opts.announce !== false) announceInvoice(ctx, inv);
  return inv;
}

/**
 * `invoice.created` then `invoice.finalized`. Split out so a caller can emit its own event
 * about the subscription first when that reads more naturally.
 */
export function announceInvoice(ctx: Ctx, inv: Stripe.Invoice): void {
  emit(ctx, 'invoice.created', {
    ...inv,
    status: 'draft',
    status_transitions: { ...inv.status_transitions, finalized_at: null },
  });
  emit(ctx, 'invoice.finalized', inv);
}

function paymentMethodFor(ctx: Ctx, inv: Stripe.Invoice): string | null {
  const subId = invoiceSubscriptionId(inv);
  const sub = subId ? ctx.em.store.subscriptions.get(subId) : undefined;
  const fromSub = idOf(sub?.default_payment_method ?? null);
  if (fromSub) return fromSub;
  const customer = ctx.em.store.customers.get(idOf(inv.customer) ?? '');
  return idOf(customer?.invoice_settings.default_payment_method ?? null);
}

/** A subscription whose last open invoice got paid is healthy again. */
function reviveSubscription(ctx: Ctx, inv: Stripe.Invoice): void {
  const subId = invoiceSubscriptionId(inv);
  const sub = subId ? ctx.em.store.subscriptions.get(subId) : undefined;
  if (!sub || (sub.status !== 'past_due' && sub.status !== 'incomplete' && sub.status !== 'unpaid')) return;
  const stillOpen = [...ctx.em.store.invoices.values()].some(
    (i) => i.status === 'open' && invoiceSubscriptionId(i) === sub.id,
  );
  if (stillOpen) return;
  emitChange(ctx, 'customer.subscription.updated', sub, (s) => {
    s.status = 'active';
  });
}

/** Links an attempt to its invoice the way the current API does (`invoice.payments`). */
function recordInvoicePayment(ctx: Ctx, inv: Stripe.Invoice, pi: Stripe.PaymentIntent): void {
  const paid = pi.status === 'succeeded';
  for (const earlier of ctx.em.store.invoicePayments.values()) {
    if (earlier.invoice === inv.id) earlier.is_default = false;
  }
  const payment: Stripe.InvoicePayment = {
    id: newId('inpay'),
    object: 'invoice_payment',
    amount_paid: paid ? pi.amount : null,
    amount_requested: pi.amount,
    created: nowOf(ctx),
    currency: pi.currency,
    invoice: inv.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: pi.id },
    status: paid ? 'paid' : 'open',
    status_transitions: { canceled_at: null, paid_at: paid ? nowOf(ctx) : null },
  };
  ctx.em.store.invoicePayments.set(payment.id, payment);
}

export function paymentsOf(ctx: Ctx, invoiceId: string): Stripe.InvoicePayment[] {
  return newestFirst(ctx.em.store.invoicePayments.values()).filter((p) => p.invoice === invoiceId);
}

export interface InvoicePaymentResult {
  ok: boolean;
  error: ApiError | null;
}

export function payInvoice(
  ctx: Ctx,
  inv: Stripe.Invoice,
  mode: ChargeMode,
  paymentMethodId?: string,
): InvoicePaymentResult {
  const now = nowOf(ctx);
  if (inv.status !== 'open') {
    return {
      ok: false,
      error: invalidRequest('Invoice is already paid', undefined, 'invoice_payment_intent_requires_action'),
    };
  }
  const markPaid = () => {
    inv.status = 'paid';
    inv.amount_paid = inv.amount_due;
    inv.amount_remaining = 0;
    inv.attempted = true;
    inv.next_payment_attempt = null;
    inv.status_transitions.paid_at = now;
    emit(ctx, 'invoice.paid', inv);
    emit(ctx, 'invoice.payment_succeeded', inv);
    reviveSubscription(ctx, inv);
  };
  if (inv.amount_due === 0) {
    markPaid();
    return { ok: true, error: null };
  }
  inv.attempt_count += 1;
  inv.attempted = true;
  const pmId = paymentMethodId ?? paymentMethodFor(ctx, inv);
  const pm = pmId ? resolvePaymentMethod(ctx, pmId) : null;
  const fail = (error: ApiError) => {
    // A first invoice that fails leaves the subscription incomplete; Stripe does not retry it.
    const retries = inv.billing_reason !== 'subscription_create' && inv.attempt_count < MAX_PAYMENT_ATTEMPTS;
    inv.next_payment_attempt = retries ? now + RETRY_INTERVAL_SECONDS : null;
    emit(ctx, 'invoice.payment_failed', inv);
    return { ok: false, error };
  };
  if (!pm) {
    return fail(
      invalidRequest(
        'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
      ),
    );
  }
  const { pi, error } = runPayment(ctx, {
    amount: inv.amount_due,
    currency: inv.currency,
    customer: idOf(inv.customer),
    paymentMethod: pm,
    mode,
    confirm: true,
    description: inv.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
    metadata: {},
  });
  recordInvoicePayment(ctx, inv, pi);
  if (error) return fail(error);
  if (pi.status !== 'succeeded') {
    emit(ctx, 'invoice.payment_action_required', inv);
    return fail(
      invalidRequest('This payment requires authentication.', undefined, 'invoice_payment_intent_requires_action'),
    );
  }
  markPaid();
  return { ok: true, error: null };
}

export function getInvoice(ctx: Ctx, id: string): Stripe.Invoice {
  const inv = ctx.em.store.invoices.get(id);
  if (!inv) throw notFound('invoice', id);
  return inv;
}

export const invoiceRoutes = [
  route(
    'GET',
    '/v1/invoices',
    ['customer', 'subscription', 'status', 'limit', 'starting_after', 'ending_before', 'created', 'collection_method'],
    (ctx, p) => {
      const items = newestFirst(ctx.em.store.invoices.values()).filter(
        matchingParams(p, {
          customer: (i) => i.customer,
          subscription: invoiceSubscriptionId,
          status: (i) => i.status,
        }),
      );
      return paginate(items, p, '/v1/invoices');
    },
  ),
  route('GET', '/v1/invoices/:id', [], (ctx, _p, args) => getInvoice(ctx, arg(args))),
  route(
    'GET',
    '/v1/invoice_payments',
    ['invoice', 'payment', 'status', 'limit', 'starting_after', 'ending_before'],
    (ctx, p) => {
      const invoice = p.str('invoice');
      const pi = p.obj('payment')?.str('payment_intent');
      const status = p.str('status');
      const items = newestFirst(ctx.em.store.invoicePayments.values()).filter(
        (x) =>
          (!invoice || x.invoice === invoice) &&
          (!pi || x.payment.payment_intent === pi) &&
          (!status || x.status === status),
      );
      return paginate(items, p, '/v1/invoice_payments');
    },
  ),
  route('GET', '/v1/invoice_payments/:id', [], (ctx, _p, args) => {
    const payment = ctx.em.store.invoicePayments.get(arg(args));
    if (!payment) throw notFound('invoice_payment', arg(args));
    return payment;
  }),
  route('GET', '/v1/invoices/:id/lines', ['limit', 'starting_after', 'ending_before'], (ctx, p, args) => {
    const inv = getInvoice(ctx, arg(args));
    return paginate(inv.lines.data, p, `/v1/invoices/${inv.id}/lines`);
  }),
  route('POST', '/v1/invoices/:id/pay', ['payment_method', 'off_session'], (ctx, p, args) => {
    const inv = getInvoice(ctx, arg(args));
    if (inv.status === 'paid') throw invalidRequest('Invoice is already paid', undefined, 'invoice_not_open');
    const offSession = p.bool('off_session') ?? true;
    const result = payInvoice(ctx, inv, offSession ? 'off_session' : 'on_session', p.str('payment_method'));
    if (result.error) throw result.error;
    return inv;
  }),
];
