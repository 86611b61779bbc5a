import { invalidRequest } from './errors';
import { lineItemsOf } from './resources/checkout-sessions';
import { paymentsOf } from './resources/invoices';
import { type Ctx, clone } from './state';

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The stored object an id refers to, found by its Stripe prefix. */
export function lookup(ctx: Ctx, id: string): unknown {
  const s = ctx.em.store;
  const prefix = id.slice(0, id.indexOf('_') + 1);
  switch (prefix) {
    case 'cus_':
      return s.customers.get(id);
    case 'sub_':
      return s.subscriptions.get(id);
    case 'in_':
      return s.invoices.get(id);
    case 'pi_':
      return s.paymentIntents.get(id);
    case 'pm_':
      return s.paymentMethods.get(id);
    case 'price_':
      return s.prices.get(id);
    case 'prod_':
      return s.products.get(id);
    case 'ch_':
      return s.charges.get(id);
    case 'seti_':
      return s.setupIntents.get(id);
    case 'cs_':
      return s.checkoutSessions.get(id);
    case 'bps_':
      return s.portalSessions.get(id);
    case 'bpc_':
      return s.portalConfigurations.get(id);
    case 'inpay_':
      return s.invoicePayments.get(id);
    case 'evt_':
      return s.events.get(id);
    case 'si_':
      for (const sub of s.subscriptions.values()) {
        const item = sub.items.data.find((i) => i.id === id);
        if (item) return item;
      }
      return undefined;
    default:
      return undefined;
  }
}

function walk(ctx: Ctx, value: unknown, segments: string[], path: string): void {
  const [key, ...rest] = segments;
  if (key === undefined || !isPlain(value)) return;
  if (value.object === 'list' && key === 'data' && Array.isArray(value.data)) {
    for (const item of value.data) walk(ctx, item, rest, path);
    return;
  }
  if (key === 'line_items' && value.object === 'checkout.session' && typeof value.id === 'string') {
    const cs = ctx.em.store.checkoutSessions.get(value.id);
    const data = cs ? lineItemsOf(ctx, cs) : [];
    value.line_items = clone({
      object: 'list',
      data,
      has_more: false,
      url: `/v1/checkout/sessions/${value.id}/line_items`,
    });
    walk(ctx, value.line_items, rest, path);
    return;
  }
  if (key === 'payments' && value.object === 'invoice' && typeof value.id === 'string') {
    const data = paymentsOf(ctx, value.id);
    value.payments = clone({ object: 'list', data, has_more: false, url: `/v1/invoice_payments?invoice=${value.id}` });
    walk(ctx, value.payments, rest, path);
    return;
  }
  if (!(key in value)) throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
  const current = value[key];
  const resolve = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const found = lookup(ctx, v);
    return found === undefined ? v : clone(found);
  };
  if (Array.isArray(current)) {
    value[key] = current.map(resolve);
    for (const item of value[key] as unknown[]) walk(ctx, item, rest, path);
    return;
  }
  value[key] = resolve(current);
  walk(ctx, value[key], rest, path);
}

/** Replaces ids by objects along each `expand[]` path, on a copy of `result`. */
export function applyExpand(ctx: Ctx, result: unknown, paths: string[]): unknown {
  const copy = clone(result);
  for (const path of paths) walk(ctx, copy, path.split('.'), path);
  return copy;
}
