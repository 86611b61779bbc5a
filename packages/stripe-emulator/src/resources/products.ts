import type Stripe from 'stripe';
import { invalidRequest, notFound } from '../errors';
import type { Params } from '../form';
import { newId } from '../ids';
import { newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type Ctx, type Emulator, nowOf } from '../state';
import { emit, emitChange } from './events';

export interface NewProduct {
  id?: string;
  name: string;
  description?: string | null;
  active?: boolean;
  metadata?: Record<string, string>;
}

export function createProduct(ctx: Ctx, input: NewProduct): Stripe.Product {
  if (input.id && ctx.em.store.products.has(input.id)) {
    throw invalidRequest(`Product already exists.`, 'id', 'resource_already_exists');
  }
  const now = nowOf(ctx);
  const product: Stripe.Product = {
    id: input.id ?? newId('prod'),
    object: 'product',
    active: input.active ?? true,
    created: now,
    default_price: null,
    description: input.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: input.metadata ?? {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: now,
    url: null,
  };
  ctx.em.store.products.set(product.id, product);
  emit(ctx, 'product.created', product);
  return product;
}

/** What pages and invoice lines call a price: its product's name, else the price's own nickname, key or id. */
export function productName(em: Emulator, price: Stripe.Price): string {
  const id = typeof price.product === 'string' ? price.product : price.product.id;
  return em.store.products.get(id)?.name ?? price.nickname ?? price.lookup_key ?? price.id;
}

export function getProduct(ctx: Ctx, id: string, param = 'id'): Stripe.Product {
  const product = ctx.em.store.products.get(id);
  if (!product) throw notFound('product', id, param);
  return product;
}

function updateProduct(ctx: Ctx, product: Stripe.Product, p: Params): Stripe.Product {
  emitChange(ctx, 'product.updated', product, (x) => {
    if (p.has('name')) x.name = p.reqStr('name');
    if (p.has('description')) x.description = p.str('description') ?? null;
    const active = p.bool('active');
    if (active !== undefined) x.active = active;
    const metadata = p.metadata('metadata', x.metadata);
    if (metadata) x.metadata = metadata;
    if (p.has('default_price')) x.default_price = p.str('default_price') ?? null;
    x.updated = nowOf(ctx);
  });
  return product;
}

export const productRoutes = [
  route('POST', '/v1/products', ['id', 'name', 'description', 'active', 'metadata'], (ctx, p) =>
    createProduct(ctx, {
      ...(p.str('id') ? { id: p.reqStr('id') } : {}),
      name: p.reqStr('name'),
      description: p.str('description') ?? null,
      active: p.bool('active') ?? true,
      metadata: p.metadata('metadata') ?? {},
    }),
  ),
  route('GET', '/v1/products', ['active', 'ids', 'limit', 'starting_after', 'ending_before', 'created'], (ctx, p) => {
    const active = p.bool('active');
    const ids = p.strList('ids');
    const items = newestFirst(ctx.em.store.products.values()).filter(
      (x) => (active === undefined || x.active === active) && (ids.length === 0 || ids.includes(x.id)),
    );
    return paginate(items, p, '/v1/products');
  }),
  route('GET', '/v1/products/:id', [], (ctx, _p, args) => getProduct(ctx, arg(args))),
  route('POST', '/v1/products/:id', ['name', 'description', 'active', 'metadata', 'default_price'], (ctx, p, args) =>
    updateProduct(ctx, getProduct(ctx, arg(args)), p),
  ),
];
