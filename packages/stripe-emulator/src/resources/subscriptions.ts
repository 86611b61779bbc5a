import type Stripe from 'stripe';
import { addInterval, nextBoundary } from '../clock';
import { cardError, invalidRequest, notFound } from '../errors';
import type { Params } from '../form';
import { newId } from '../ids';
import { newestFirst, paginate } from '../list';
import { formatAmount, intervalLabel } from '../money';
import { arg, route } from '../router';
import { type Ctx, type Emulator, type PendingLine, clone, nowOf } from '../state';
import { getCustomer } from './customers';
import { emit, emitChange } from './events';
import {
  announceInvoice,
  createSubscriptionInvoice,
  type InvoiceLineInput,
  invoiceSubscriptionId,
  payInvoice,
} from './invoices';
import { type ChargeMode, chargeOutcome } from './payment-methods';
import { getPrice } from './prices';
import { productName } from './products';

export interface ItemInput {
  price: Stripe.Price;
  quantity: number;
}

export type PaymentBehavior =
  | 'allow_incomplete'
  | 'default_incomplete'
  | 'error_if_incomplete'
  | 'pending_if_incomplete';
export type ProrationBehavior = 'create_prorations' | 'none' | 'always_invoice';

const PAYMENT_BEHAVIORS = [
  'allow_incomplete',
  'default_incomplete',
  'error_if_incomplete',
  'pending_if_incomplete',
] as const;
const PRORATION_BEHAVIORS = ['create_prorations', 'none', 'always_invoice'] as const;

function idOf(ref: string | { id: string } | null): string | null {
  if (!ref) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

export function customerIdOf(sub: Stripe.Subscription): string {
  return idOf(sub.customer) ?? '';
}

export function describeItem(ctx: Ctx, price: Stripe.Price, quantity: number): string {
  const interval = price.recurring
    ? ` / ${intervalLabel(price.recurring.interval, price.recurring.interval_count)}`
    : '';
  return `${quantity} × ${productName(ctx.em, price)} (at ${formatAmount(price.unit_amount ?? 0, price.currency)}${interval})`;
}

function planFor(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

function buildItem(
  subId: string,
  price: Stripe.Price,
  quantity: number,
  start: number,
  end: number,
  created: number,
): Stripe.SubscriptionItem {
  return {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: end,
    current_period_start: start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: clone(planFor(price)),
    price: clone(price),
    quantity,
    subscription: subId,
    tax_rates: [],
  };
}

function requireRecurring(price: Stripe.Price, param: string): Stripe.Price.Recurring {
  if (!price.recurring) {
    throw invalidRequest(
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
      param,
    );
  }
  if (!price.active) {
    throw invalidRequest('The price specified is inactive. This field only accepts active prices.', param);
  }
  return price.recurring;
}

function itemAmount(item: { price: Stripe.Price; quantity?: number }): number {
  return (item.price.unit_amount ?? 0) * (item.quantity ?? 1);
}

function emptyDetails(): Stripe.Subscription.CancellationDetails {
  return { comment: null, feedback: null, feedback_option: null, reason: null };
}

export function periodOf(sub: Stripe.Subscription): { start: number; end: number } {
  const first = sub.items.data[0];
  return { start: first?.current_period_start ?? sub.start_date, end: first?.current_period_end ?? sub.start_date };
}

function defaultPmOf(ctx: Ctx, sub: Stripe.Subscription): string | null {
  const own = idOf(sub.default_payment_method as string | { id: string } | null);
  if (own) return own;
  const customer = ctx.em.store.customers.get(customerIdOf(sub));
  return idOf((customer?.invoice_settings.default_payment_method ?? null) as string | { id: string } | null);
}

export interface StartInput {
  customer: string;
  items: ItemInput[];
  metadata: Record<string, string>;
  defaultPaymentMethod: string | null;
  mode: ChargeMode;
  paymentBehavior: PaymentBehavior;
  description?: string | null;
}

/**
 * Creates a subscription and its first invoice. Whether the first payment will go through is
 * known up front, so `customer.subscription.created` already carries the final status and
 * the events read in their natural order.
 */
export function startSubscription(ctx: Ctx, input: StartInput): Stripe.Subscription {
  const { store } = ctx.em;
  const customer = getCustomer(ctx, input.customer, 'customer');
  if (input.items.length === 0) throw invalidRequest('Missing required param: items.', 'items', 'parameter_missing');
  const first = input.items[0] as ItemInput;
  const recurring = requireRecurring(first.price, 'items[0][price]');
  input.items.forEach((item, i) => {
    const r = requireRecurring(item.price, `items[${i}][price]`);
    if (r.interval !== recurring.interval || r.interval_count !== recurring.interval_count) {
      throw invalidRequest(
        'All prices on a subscription must have the same `recurring.interval` and `recurring.interval_count`.',
        `items[${i}][price]`,
      );
    }
    if (item.price.currency !== first.price.currency) {
      throw invalidRequest('All prices on a subscription must have the same currency.', `items[${i}][price]`);
    }
  });
  const now = nowOf(ctx);
  const end = addInterval(now, recurring.interval, recurring.interval_count);
  const pmId =
    input.defaultPaymentMethod ??
    idOf(customer.invoice_settings.default_payment_method as string | { id: string } | null);
  const total = input.items.reduce((s, it) => s + itemAmount(it), 0);
  const outcome = total === 0 ? ({ ok: true } as const) : pmId ? chargeOutcome(ctx, pmId, input.mode) : null;
  // default_incomplete leaves the first invoice for the client to confirm on-session.
  const deferPayment = input.paymentBehavior === 'default_incomplete' && total > 0;
  const willPay = !deferPayment && outcome?.ok === true;
  if (!willPay && !deferPayment && input.paymentBehavior === 'error_if_incomplete') {
    if (outcome && !outcome.ok && outcome.kind === 'error') {
      throw cardError({ code: outcome.code, declineCode: outcome.declineCode, message: outcome.message });
    }
    throw invalidRequest('This customer has no attached payment source or default payment method.', 'customer');
  }
  const id = newId('sub');
  const sub: Stripe.Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: now,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: first.price.currency,
    customer: customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: input.description ?? null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: input.items.map((it) => buildItem(id, it.price, it.quantity, now, end, now)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: willPay ? 'active' : 'incomplete',
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
  const invoiceLines = sub.items.data.map((item) => ({
    amount: itemAmount(item),
    description: describeItem(ctx, item.price, item.quantity ?? 1),
    price: item.price,
    quantity: item.quantity ?? 1,
    periodStart: now,
    periodEnd: end,
    subscriptionItem: item.id,
    proration: false,
  }));
  store.subscriptions.set(id, sub);
  // The first invoice id is part of the created event, as it is on Stripe.
  const inv = createSubscriptionInvoice(ctx, sub, 'subscription_create', invoiceLines, { announce: false });
  sub.latest_invoice = inv.id;
  emit(ctx, 'customer.subscription.created', sub);
  announceInvoice(ctx, inv);
  if (!deferPayment) payInvoice(ctx, inv, input.mode, pmId ?? undefined);
  return sub;
}

export function getSubscription(ctx: Ctx, id: string, param = 'id'): Stripe.Subscription {
  const sub = ctx.em.store.subscriptions.get(id);
  if (!sub) throw notFound('subscription', id, param);
  return sub;
}

export interface ItemChange {
  id?: string;
  price?: string;
  quantity?: number;
  deleted?: boolean;
}

export interface SubscriptionChanges {
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  items?: ItemChange[];
  prorationBehavior?: ProrationBehavior;
  paymentBehavior?: PaymentBehavior;
  metadata?: Record<string, string>;
  defaultPaymentMethod?: string | null;
  description?: string | null;
  cancellationComment?: string | null;
  cancellationFeedback?: string | null;
}

export function isEnded(sub: Stripe.Subscription): boolean {
  return sub.status === 'canceled' || sub.status === 'incomplete_expired';
}

/**
 * Applies a change the way Stripe does for the fields we emulate: cancellation flags, plan and
 * seat changes with prorations (now or on the next invoice), metadata and default card.
 */
export function updateSubscription(
  ctx: Ctx,
  sub: Stripe.Subscription,
  changes: SubscriptionChanges,
): Stripe.Subscription {
  const now = nowOf(ctx);
  const onlyMetadata = Object.keys(changes).every((k) =>
    ['metadata', 'cancellationComment', 'cancellationFeedback'].includes(k),
  );
  if (isEnded(sub) && !onlyMetadata) {
    throw invalidRequest(
      'A canceled subscription can only update its cancellation_details and metadata.',
      undefined,
      'resource_missing',
    );
  }
  const period = periodOf(sub);
  const draftItems = clone(sub.items.data);
  (changes.items ?? []).forEach((change, i) => {
    const param = `items[${i}]`;
    const existing = change.id ? draftItems.find((it) => it.id === change.id) : undefined;
    if (change.id && !existing) throw invalidRequest(`Invalid subscription_item: ${change.id}`, `${param}[id]`);
    if (change.deleted) {
      if (existing) draftItems.splice(draftItems.indexOf(existing), 1);
      return;
    }
    const price = change.price ? getPrice(ctx, change.price, `${param}[price]`) : existing?.price;
    if (!price) throw invalidRequest('Missing required param: price.', `${param}[price]`, 'parameter_missing');
    requireRecurring(price, `${param}[price]`);
    if (change.quantity !== undefined && change.quantity < 0) {
      throw invalidRequest('Invalid quantity: must be at least 0', `${param}[quantity]`);
    }
    if (existing) {
      existing.price = clone(price);
      existing.plan = clone(planFor(price));
      if (change.quantity !== undefined) existing.quantity = change.quantity;
    } else {
      draftItems.push(buildItem(sub.id, price, change.quantity ?? 1, period.start, period.end, now));
    }
  });
  if (draftItems.length === 0) throw invalidRequest('A subscription must have at least one item.', 'items');

  const oldInterval = sub.items.data[0]?.price.recurring;
  const newInterval = (draftItems[0] as Stripe.SubscriptionItem).price.recurring;
  const intervalChanged =
    !!oldInterval &&
    !!newInterval &&
    (oldInterval.interval !== newInterval.interval || oldInterval.interval_count !== newInterval.interval_count);
  const proration = changes.prorationBehavior ?? 'create_prorations';
  const oldTotal = sub.items.data.reduce((s, it) => s + itemAmount(it), 0);
  const newTotal = draftItems.reduce((s, it) => s + itemAmount(it), 0);
  const span = Math.max(1, period.end - period.start);
  const fraction = Math.min(1, Math.max(0, (period.end - now) / span));

  const lines: InvoiceLineInput[] = [];
  let newPeriod = period;
  if (intervalChanged && newInterval) {
    newPeriod = { start: now, end: addInterval(now, newInterval.interval, newInterval.interval_count) };
    for (const it of draftItems) {
      it.current_period_start = newPeriod.start;
      it.current_period_end = newPeriod.end;
      lines.push(lineFor(it, itemAmount(it), describeItem(ctx, it.price, it.quantity ?? 1), newPeriod, false));
    }
    if (proration !== 'none') {
      for (const old of sub.items.data) {
        const credit = -Math.round(itemAmount(old) * fraction);
        if (credit !== 0) {
          lines.push(
            lineFor(
              old,
              credit,
              `Unused time on ${describeItem(ctx, old.price, old.quantity ?? 1)}`,
              { start: now, end: period.end },
              true,
            ),
          );
        }
      }
    }
  } else if (proration !== 'none' && newTotal !== oldTotal) {
    for (const old of sub.items.data) {
      const after = draftItems.find((d) => d.id === old.id);
      if (after && itemAmount(after) === itemAmount(old)) continue;
      const credit = -Math.round(itemAmount(old) * fraction);
      if (credit !== 0) {
        lines.push(
          lineFor(
            old,
            credit,
            `Unused time on ${describeItem(ctx, old.price, old.quantity ?? 1)}`,
            { start: now, end: period.end },
            true,
          ),
        );
      }
    }
    for (const it of draftItems) {
      const before = sub.items.data.find((o) => o.id === it.id);
      if (before && itemAmount(before) === itemAmount(it)) continue;
      const charge = Math.round(itemAmount(it) * fraction);
      if (charge !== 0) {
        lines.push(
          lineFor(
            it,
            charge,
            `Remaining time on ${describeItem(ctx, it.price, it.quantity ?? 1)}`,
            { start: now, end: period.end },
            true,
          ),
        );
      }
    }
  }
  const invoiceNow = lines.length > 0 && (intervalChanged || proration === 'always_invoice');
  const amountNow = lines.reduce((s, l) => s + l.amount, 0);
  const pmId = changes.defaultPaymentMethod ?? defaultPmOf(ctx, sub);
  if (invoiceNow && amountNow > 0 && changes.paymentBehavior === 'error_if_incomplete') {
    const outcome = pmId ? chargeOutcome(ctx, pmId, 'off_session') : null;
    if (!outcome) throw invalidRequest('This customer has no attached payment source or default payment method.');
    if (!outcome.ok) {
      if (outcome.kind === 'error')
        throw cardError({ code: outcome.code, declineCode: outcome.declineCode, message: outcome.message });
      throw cardError({
        code: 'authentication_required',
        declineCode: 'authentication_required',
        message: 'Your card was declined. This transaction requires authentication.',
      });
    }
  }
  if (!invoiceNow && lines.length > 0) {
    const pending = ctx.em.store.pendingLines.get(sub.id) ?? [];
    for (const l of lines) pending.push(toPending(l));
    ctx.em.store.pendingLines.set(sub.id, pending);
  }
  const inv = invoiceNow ? createSubscriptionInvoice(ctx, sub, 'subscription_update', lines) : null;

  emitChange(ctx, 'customer.subscription.updated', sub, (s) => {
    s.items.data = draftItems;
    if (intervalChanged) s.billing_cycle_anchor = now;
    if (changes.cancelAtPeriodEnd === true) {
      s.cancel_at_period_end = true;
      s.cancel_at = newPeriod.end;
      s.canceled_at = now;
      s.cancellation_details = { ...emptyDetails(), ...s.cancellation_details, reason: 'cancellation_requested' };
    } else if (changes.cancelAtPeriodEnd === false) {
      s.cancel_at_period_end = false;
      s.cancel_at = null;
      s.canceled_at = null;
      s.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: null };
    }
    if (changes.cancelAt !== undefined) {
      s.cancel_at = changes.cancelAt;
      s.cancel_at_period_end = changes.cancelAt !== null && changes.cancelAt === newPeriod.end;
      s.canceled_at = changes.cancelAt === null ? null : now;
    }
    if (changes.cancellationComment !== undefined && s.cancellation_details)
      s.cancellation_details.comment = changes.cancellationComment;
    if (changes.cancellationFeedback !== undefined && s.cancellation_details) {
      s.cancellation_details.feedback =
        changes.cancellationFeedback as Stripe.Subscription.CancellationDetails.Feedback | null;
    }
    if (changes.metadata) s.metadata = changes.metadata;
    if (changes.defaultPaymentMethod !== undefined) s.default_payment_method = changes.defaultPaymentMethod;
    if (changes.description !== undefined) s.description = changes.description;
    if (inv) s.latest_invoice = inv.id;
  });
  if (inv) {
    const result = payInvoice(ctx, inv, 'off_session', pmId ?? undefined);
    if (!result.ok && sub.status === 'active') {
      emitChange(ctx, 'customer.subscription.updated', sub, (s) => {
        s.status = 'past_due';
      });
    }
  }
  return sub;
}

function lineFor(
  item: Stripe.SubscriptionItem,
  amount: number,
  description: string,
  period: { start: number; end: number },
  proration: boolean,
): InvoiceLineInput {
  return {
    amount,
    description,
    price: item.price,
    quantity: item.quantity ?? 1,
    periodStart: period.start,
    periodEnd: period.end,
    subscriptionItem: item.id,
    proration,
  };
}

function toPending(l: InvoiceLineInput): PendingLine {
  return {
    amount: l.amount,
    description: l.description,
    price: l.price.id,
    quantity: l.quantity,
    periodStart: l.periodStart,
    periodEnd: l.periodEnd,
    subscriptionItem: l.subscriptionItem,
  };
}

export function cancelNow(
  ctx: Ctx,
  sub: Stripe.Subscription,
  reason: Stripe.Subscription.CancellationDetails.Reason = 'cancellation_requested',
): Stripe.Subscription {
  if (isEnded(sub)) {
    throw invalidRequest(`No such subscription: '${sub.id}'`, 'id', 'resource_missing');
  }
  const now = nowOf(ctx);
  sub.status = 'canceled';
  sub.ended_at = now;
  sub.canceled_at = sub.canceled_at ?? now;
  sub.cancellation_details = { ...emptyDetails(), ...sub.cancellation_details, reason };
  ctx.em.store.pendingLines.delete(sub.id);
  // Canceling stops automatic collection of the subscription's open invoices.
  for (const inv of ctx.em.store.invoices.values()) {
    if (inv.status === 'open' && invoiceSubscriptionId(inv) === sub.id) inv.next_payment_attempt = null;
  }
  emit(ctx, 'customer.subscription.deleted', sub);
  return sub;
}

/** The end of one billing period: either the subscription ends or it renews and bills. */
function closePeriod(ctx: Ctx, sub: Stripe.Subscription): void {
  const { end } = periodOf(sub);
  const cancelAt = sub.cancel_at;
  if (sub.cancel_at_period_end || (cancelAt !== null && cancelAt <= end)) {
    cancelNow(ctx, sub, sub.cancellation_details?.reason ?? 'cancellation_requested');
    return;
  }
  const first = sub.items.data[0];
  const recurring = first?.price.recurring;
  if (!first || !recurring) return;
  const nextEnd = nextBoundary(sub.billing_cycle_anchor, recurring.interval, recurring.interval_count, end);
  const lines: InvoiceLineInput[] = sub.items.data.map((it) =>
    lineFor(it, itemAmount(it), describeItem(ctx, it.price, it.quantity ?? 1), { start: end, end: nextEnd }, false),
  );
  for (const pending of ctx.em.store.pendingLines.get(sub.id) ?? []) {
    const price = ctx.em.store.prices.get(pending.price);
    if (!price) continue;
    lines.push({
      amount: pending.amount,
      description: pending.description,
      price,
      quantity: pending.quantity,
      periodStart: pending.periodStart,
      periodEnd: pending.periodEnd,
      subscriptionItem: pending.subscriptionItem,
      proration: true,
    });
  }
  ctx.em.store.pendingLines.delete(sub.id);
  emitChange(ctx, 'customer.subscription.updated', sub, (s) => {
    for (const it of s.items.data) {
      it.current_period_start = end;
      it.current_period_end = nextEnd;
    }
  });
  const inv = createSubscriptionInvoice(ctx, sub, 'subscription_cycle', lines);
  sub.latest_invoice = inv.id;
  const result = payInvoice(ctx, inv, 'off_session');
  if (!result.ok && sub.status === 'active') {
    emitChange(ctx, 'customer.subscription.updated', sub, (s) => {
      s.status = 'past_due';
    });
  }
}

/** A failed invoice's scheduled retry; when retries run out the subscription is canceled. */
function retryInvoice(ctx: Ctx, inv: Stripe.Invoice): void {
  const result = payInvoice(ctx, inv, 'off_session');
  if (result.ok || inv.next_payment_attempt !== null) return;
  const subId = invoiceSubscriptionId(inv);
  const sub = subId ? ctx.em.store.subscriptions.get(subId) : undefined;
  if (sub && !isEnded(sub)) cancelNow(ctx, sub, 'payment_failed');
}

type DueAction = { at: number; run: (ctx: Ctx) => void };

function nextDue(em: Emulator, until: number): DueAction | null {
  let best: DueAction | null = null;
  const consider = (at: number, run: (ctx: Ctx) => void) => {
    if (at <= until && (!best || at < best.at)) best = { at, run };
  };
  for (const sub of em.store.subscriptions.values()) {
    if (!['active', 'past_due', 'trialing', 'unpaid'].includes(sub.status)) continue;
    const { end } = periodOf(sub);
    const cancelAt = sub.cancel_at;
    if (cancelAt !== null && cancelAt < end)
      consider(cancelAt, (ctx) => cancelNow(ctx, sub, sub.cancellation_details?.reason ?? 'cancellation_requested'));
    else consider(end, (ctx) => closePeriod(ctx, sub));
  }
  for (const inv of em.store.invoices.values()) {
    if (inv.status === 'open' && inv.next_payment_attempt !== null) {
      const at = inv.next_payment_attempt;
      consider(at, (ctx) => retryInvoice(ctx, inv));
    }
  }
  return best;
}

/**
 * Moves emulator time forward, running every renewal, cancellation and payment retry that
 * falls due on the way, each stamped with the moment it was due.
 */
export function advanceClock(em: Emulator, seconds: number): number {
  const target = em.clock.now() + Math.floor(seconds);
  for (let guard = 0; guard < 10_000; guard++) {
    const due = nextDue(em, target);
    if (!due) break;
    const action: DueAction = due;
    action.run(em.ctx(null, null, action.at));
  }
  em.clock.advance(seconds);
  return em.clock.now();
}

function parseChanges(p: Params): SubscriptionChanges {
  const changes: SubscriptionChanges = {};
  const cape = p.bool('cancel_at_period_end');
  if (cape !== undefined) changes.cancelAtPeriodEnd = cape;
  if (p.has('cancel_at')) changes.cancelAt = p.isEmpty('cancel_at') ? null : (p.int('cancel_at') ?? null);
  if (p.has('items')) {
    changes.items = p.list('items').map((it) => {
      const c: ItemChange = {};
      const id = it.str('id');
      const price = it.str('price');
      const quantity = it.int('quantity');
      const deleted = it.bool('deleted');
      if (id) c.id = id;
      if (price) c.price = price;
      if (quantity !== undefined) c.quantity = quantity;
      if (deleted) c.deleted = true;
      return c;
    });
  }
  const proration = p.oneOf('proration_behavior', PRORATION_BEHAVIORS);
  if (proration) changes.prorationBehavior = proration;
  const payment = p.oneOf('payment_behavior', PAYMENT_BEHAVIORS);
  if (payment) changes.paymentBehavior = payment;
  return changes;
}

function updateFromParams(ctx: Ctx, sub: Stripe.Subscription, p: Params): Stripe.Subscription {
  const changes = parseChanges(p);
  const metadata = p.metadata('metadata', sub.metadata);
  if (metadata) changes.metadata = metadata;
  if (p.has('default_payment_method')) {
    const pmId = p.str('default_payment_method') ?? null;
    if (pmId) {
      const pm = ctx.em.store.paymentMethods.get(pmId);
      if (!pm || pm.customer !== customerIdOf(sub)) throw notFound('PaymentMethod', pmId, 'default_payment_method');
    }
    changes.defaultPaymentMethod = pmId;
  }
  if (p.has('description')) changes.description = p.str('description') ?? null;
  const details = p.obj('cancellation_details');
  if (details?.has('comment')) changes.cancellationComment = details.str('comment') ?? null;
  if (details?.has('feedback')) changes.cancellationFeedback = details.str('feedback') ?? null;
  return updateSubscription(ctx, sub, changes);
}

function createFromParams(ctx: Ctx, p: Params): Stripe.Subscription {
  const customer = p.reqStr('customer');
  const items = p.list('items').map((it, i) => ({
    price: getPrice(ctx, it.reqStr('price'), `items[${i}][price]`),
    quantity: it.int('quantity') ?? 1,
  }));
  const pmId = p.str('default_payment_method') ?? null;
  if (pmId) {
    const pm = ctx.em.store.paymentMethods.get(pmId);
    if (!pm || pm.customer !== customer) throw notFound('PaymentMethod', pmId, 'default_payment_method');
  }
  const sub = startSubscription(ctx, {
    customer,
    items,
    metadata: p.metadata('metadata') ?? {},
    defaultPaymentMethod: pmId,
    mode: p.bool('off_session') ? 'off_session' : 'on_session',
    paymentBehavior: p.oneOf('payment_behavior', PAYMENT_BEHAVIORS) ?? 'allow_incomplete',
    description: p.str('description') ?? null,
  });
  return sub;
}

const LISTABLE_BY_DEFAULT = new Set(['active', 'past_due', 'trialing', 'unpaid', 'incomplete', 'paused']);

export const subscriptionRoutes = [
  route(
    'POST',
    '/v1/subscriptions',
    [
      'customer',
      'items',
      'default_payment_method',
      'metadata',
      'payment_behavior',
      'off_session',
      'description',
      'collection_method',
    ],
    (ctx, p) => createFromParams(ctx, p),
  ),
  route(
    'GET',
    '/v1/subscriptions',
    ['customer', 'status', 'price', 'limit', 'starting_after', 'ending_before', 'created'],
    (ctx, p) => {
      const customer = p.str('customer');
      const status = p.str('status');
      const price = p.str('price');
      const items = newestFirst(ctx.em.store.subscriptions.values()).filter(
        (s) =>
          (!customer || s.customer === customer) &&
          (status === 'all' ||
            (status === 'ended' ? isEnded(s) : status ? s.status === status : LISTABLE_BY_DEFAULT.has(s.status))) &&
          (!price || s.items.data.some((it) => it.price.id === price)),
      );
      return paginate(items, p, '/v1/subscriptions');
    },
  ),
  route('GET', '/v1/subscriptions/:id', [], (ctx, _p, args) => getSubscription(ctx, arg(args))),
  route(
    'POST',
    '/v1/subscriptions/:id',
    [
      'cancel_at_period_end',
      'cancel_at',
      'items',
      'proration_behavior',
      'payment_behavior',
      'metadata',
      'default_payment_method',
      'description',
      'cancellation_details',
      'proration_date',
    ],
    (ctx, p, args) => updateFromParams(ctx, getSubscription(ctx, arg(args)), p),
  ),
  route('DELETE', '/v1/subscriptions/:id', ['invoice_now', 'prorate', 'cancellation_details'], (ctx, p, args) => {
    const sub = getSubscription(ctx, arg(args));
    const details = p.obj('cancellation_details');
    if (details?.has('comment') && sub.cancellation_details)
      sub.cancellation_details.comment = details.str('comment') ?? null;
    return cancelNow(ctx, sub);
  }),
  route('GET', '/v1/subscription_items', ['subscription', 'limit', 'starting_after', 'ending_before'], (ctx, p) => {
    const sub = getSubscription(ctx, p.reqStr('subscription'), 'subscription');
    return paginate(sub.items.data, p, '/v1/subscription_items');
  }),
];
