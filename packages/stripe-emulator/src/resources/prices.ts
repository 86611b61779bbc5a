import Stripe from 'stripe';
import { invalidRequest, notFound } from '../errors';
import type { Params } from '../form';
import { newId } from '../ids';
import { newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type Ctx, clone, nowOf } from '../state';
import { emit, emitChange } from './events';
import { createProduct, getProduct } from './products';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

export function getPrice(ctx: Ctx, id: string, param = 'id'): Stripe.Price {
  const price = ctx.em.store.prices.get(id);
  if (!price) throw notFound('price', id, param);
  return price;
}

export function productIdOf(price: Stripe.Price): string {
  return typeof price.product === 'string' ? price.product : price.product.id;
}

/** Moves or rejects a lookup key, mirroring Stripe's uniqueness rule. */
function claimLookupKey(ctx: Ctx, key: string, owner: string, transfer: boolean): void {
  for (const other of ctx.em.store.prices.values()) {
    if (other.id === owner || other.lookup_key !== key) continue;
    if (!transfer) {
      throw invalidRequest(
        `A price (\`${other.id}\`) already uses that lookup key.`,
        'lookup_key',
        'lookup_key_already_exists',
      );
    }
    emitChange(ctx, 'price.updated', other, (x) => {
      x.lookup_key = null;
    });
  }
}

export function createPrice(ctx: Ctx, p: Params): Stripe.Price {
  const currency = p.reqStr('currency').toLowerCase();
  const unitAmount = p.int('unit_amount');
  if (unitAmount === undefined)
    throw invalidRequest('Missing required param: unit_amount.', 'unit_amount', 'parameter_missing');
  if (unitAmount < 0) throw invalidRequest('Invalid unit_amount: must be at least 0', 'unit_amount');
  let productId = p.str('product');
  const productData = p.obj('product_data');
  if (productId) getProduct(ctx, productId, 'product');
  else if (productData) {
    productId = createProduct(ctx, {
      name: productData.reqStr('name'),
      metadata: productData.metadata('metadata') ?? {},
    }).id;
  } else throw invalidRequest('You must specify either `product` or `product_data` when creating a price.', 'product');
  const recurringParams = p.obj('recurring');
  const recurring: Stripe.Price.Recurring | null = recurringParams
    ? {
        interval: recurringParams.oneOf('interval', INTERVALS) ?? 'month',
        interval_count: recurringParams.int('interval_count') ?? 1,
        meter: null,
        trial_period_days: recurringParams.int('trial_period_days') ?? null,
        usage_type: 'licensed',
      }
    : null;
  const id = newId('price');
  const lookupKey = p.str('lookup_key') ?? null;
  if (lookupKey) claimLookupKey(ctx, lookupKey, id, p.bool('transfer_lookup_key') ?? false);
  const price: Stripe.Price = {
    id,
    object: 'price',
    active: p.bool('active') ?? true,
    billing_scheme: 'per_unit',
    created: nowOf(ctx),
    currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookupKey,
    metadata: p.metadata('metadata') ?? {},
    nickname: p.str('nickname') ?? null,
    product: productId,
    recurring,
    tax_behavior: p.oneOf('tax_behavior', ['exclusive', 'inclusive', 'unspecified']) ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unitAmount,
    unit_amount_decimal: Stripe.Decimal.from(String(unitAmount)),
  };
  ctx.em.store.prices.set(price.id, price);
  emit(ctx, 'price.created', price);
  return price;
}

/** Subscriptions embed full price objects; keep them current when a price changes. */
function refreshEmbeddedPrice(ctx: Ctx, price: Stripe.Price): void {
  for (const sub of ctx.em.store.subscriptions.values()) {
    for (const item of sub.items.data) if (item.price.id === price.id) item.price = clone(price);
  }
}

function updatePrice(ctx: Ctx, price: Stripe.Price, p: Params): Stripe.Price {
  const lookupKey = p.has('lookup_key') ? (p.str('lookup_key') ?? null) : undefined;
  if (lookupKey) claimLookupKey(ctx, lookupKey, price.id, p.bool('transfer_lookup_key') ?? false);
  emitChange(ctx, 'price.updated', price, (x) => {
    const active = p.bool('active');
    if (active !== undefined) x.active = active;
    if (lookupKey !== undefined) x.lookup_key = lookupKey;
    if (p.has('nickname')) x.nickname = p.str('nickname') ?? null;
    const metadata = p.metadata('metadata', x.metadata);
    if (metadata) x.metadata = metadata;
  });
  refreshEmbeddedPrice(ctx, price);
  return price;
}

export const priceRoutes = [
  route(
    'POST',
    '/v1/prices',
    [
      'currency',
      'unit_amount',
      'product',
      'product_data',
      'recurring',
      'lookup_key',
      'transfer_lookup_key',
      'metadata',
      'nickname',
      'active',
      'tax_behavior',
    ],
    (ctx, p) => createPrice(ctx, p),
  ),
  route(
    'GET',
    '/v1/prices',
    [
      'active',
      'lookup_keys',
      'product',
      'type',
      'currency',
      'recurring',
      'limit',
      'starting_after',
      'ending_before',
      'created',
    ],
    (ctx, p) => {
      const active = p.bool('active');
      const lookupKeys = p.strList('lookup_keys');
      const product = p.str('product');
      const type = p.str('type');
      const currency = p.str('currency');
      const interval = p.obj('recurring')?.str('interval');
      const items = newestFirst(ctx.em.store.prices.values()).filter(
        (x) =>
          (active === undefined || x.active === active) &&
          (lookupKeys.length === 0 || (x.lookup_key !== null && lookupKeys.includes(x.lookup_key))) &&
          (!product || productIdOf(x) === product) &&
          (!type || x.type === type) &&
          (!currency || x.currency === currency) &&
          (!interval || x.recurring?.interval === interval),
      );
      return paginate(items, p, '/v1/prices');
    },
  ),
  route('GET', '/v1/prices/:id', [], (ctx, _p, args) => getPrice(ctx, arg(args))),
  route(
    'POST',
    '/v1/prices/:id',
    ['active', 'lookup_key', 'transfer_lookup_key', 'metadata', 'nickname', 'tax_behavior'],
    (ctx, p, args) => updatePrice(ctx, getPrice(ctx, arg(args)), p),
  ),
];
