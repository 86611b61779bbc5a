import type Stripe from 'stripe';
import { notFound } from '../errors';
import type { Params } from '../form';
import { newId, randomUpper } from '../ids';
import { newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type Ctx, nowOf } from '../state';
import { emit, emitChange } from './events';
import { cancelNow, customerIdOf, isEnded } from './subscriptions';

export interface NewCustomer {
  email?: string | null;
  name?: string | null;
  description?: string | null;
  phone?: string | null;
  metadata?: Record<string, string>;
}

export function createCustomer(ctx: Ctx, input: NewCustomer): Stripe.Customer {
  const customer: Stripe.Customer = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: nowOf(ctx),
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: randomUpper(8),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata ?? {},
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: input.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  ctx.em.store.customers.set(customer.id, customer);
  emit(ctx, 'customer.created', customer);
  return customer;
}

export function getCustomer(ctx: Ctx, id: string, param = 'id'): Stripe.Customer {
  const c = ctx.em.store.customers.get(id);
  if (!c) throw notFound('customer', id, param);
  return c;
}

export function setDefaultPaymentMethod(ctx: Ctx, customer: Stripe.Customer, pmId: string | null): void {
  emitChange(ctx, 'customer.updated', customer, (c) => {
    c.invoice_settings.default_payment_method = pmId;
  });
}

function updateCustomer(ctx: Ctx, customer: Stripe.Customer, p: Params): Stripe.Customer {
  const invoiceSettings = p.obj('invoice_settings');
  const pmId = invoiceSettings?.has('default_payment_method')
    ? (invoiceSettings.str('default_payment_method') ?? null)
    : undefined;
  if (pmId) {
    const pm = ctx.em.store.paymentMethods.get(pmId);
    if (!pm) throw notFound('PaymentMethod', pmId, 'invoice_settings[default_payment_method]');
    if (pm.customer !== customer.id) {
      throw notFound('PaymentMethod', pmId, 'invoice_settings[default_payment_method]');
    }
  }
  emitChange(ctx, 'customer.updated', customer, (c) => {
    if (p.has('email')) c.email = p.str('email') ?? null;
    if (p.has('name')) c.name = p.str('name') ?? null;
    if (p.has('description')) c.description = p.str('description') ?? null;
    if (p.has('phone')) c.phone = p.str('phone') ?? null;
    const metadata = p.metadata('metadata', c.metadata);
    if (metadata) c.metadata = metadata;
    if (pmId !== undefined) c.invoice_settings.default_payment_method = pmId;
  });
  return customer;
}

/** As Stripe does: deleting a customer first cancels its subscriptions at once (each with its event). */
function deleteCustomer(ctx: Ctx, customer: Stripe.Customer): Stripe.DeletedCustomer {
  for (const sub of [...ctx.em.store.subscriptions.values()]) {
    if (customerIdOf(sub) === customer.id && !isEnded(sub)) cancelNow(ctx, sub);
  }
  ctx.em.store.customers.delete(customer.id);
  emit(ctx, 'customer.deleted', customer);
  return { id: customer.id, object: 'customer', deleted: true };
}

export const customerRoutes = [
  route(
    'POST',
    '/v1/customers',
    [
      'email',
      'name',
      'description',
      'phone',
      'metadata',
      'payment_method',
      'invoice_settings',
      'preferred_locales',
      'address',
    ],
    (ctx, p) => {
      const customer = createCustomer(ctx, {
        email: p.str('email') ?? null,
        name: p.str('name') ?? null,
        description: p.str('description') ?? null,
        phone: p.str('phone') ?? null,
        metadata: p.metadata('metadata') ?? {},
      });
      return customer;
    },
  ),
  route('GET', '/v1/customers', ['email', 'limit', 'starting_after', 'ending_before', 'created'], (ctx, p) => {
    const email = p.str('email');
    const items = newestFirst(ctx.em.store.customers.values()).filter((c) => !email || c.email === email);
    return paginate(items, p, '/v1/customers');
  }),
  route('GET', '/v1/customers/:id', [], (ctx, _p, args) => getCustomer(ctx, arg(args))),
  route(
    'POST',
    '/v1/customers/:id',
    ['email', 'name', 'description', 'phone', 'metadata', 'invoice_settings', 'preferred_locales', 'address'],
    (ctx, p, args) => updateCustomer(ctx, getCustomer(ctx, arg(args)), p),
  ),
  route('DELETE', '/v1/customers/:id', [], (ctx, _p, args) => deleteCustomer(ctx, getCustomer(ctx, arg(args)))),
];
