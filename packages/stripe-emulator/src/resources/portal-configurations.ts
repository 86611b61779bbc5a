import type Stripe from 'stripe';
import { invalidRequest, notFound } from '../errors';
import type { Params } from '../form';
import { newId } from '../ids';
import { newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type Ctx, nowOf } from '../state';
import { getPrice, productIdOf } from './prices';
import { getProduct } from './products';

type Configuration = Stripe.BillingPortal.Configuration;
type UpdateFeature = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate;
type UpdateProduct = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product;
type Adjustable = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product.AdjustableQuantity;
type AllowedUpdate = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.DefaultAllowedUpdate;

const ALLOWED_UPDATES = ['price', 'quantity', 'promotion_code'] as const;
const PRORATIONS = ['always_invoice', 'create_prorations', 'none'] as const;
const param = (i: number, key: string) => `features[subscription_update][products][${i}][${key}]`;

export function getPortalConfiguration(ctx: Ctx, id: string, name = 'id'): Configuration {
  const found = ctx.em.store.portalConfigurations.get(id);
  if (!found) throw notFound('configuration', id, name);
  return found;
}

/** `adjustable_quantity`: whole numbers, a minimum of 0 or more, a maximum (optional) of 1 or more and at least the minimum. */
function parseAdjustable(p: Params | undefined, i: number): Adjustable {
  if (!p) return { enabled: false, maximum: null, minimum: 0 };
  const enabled = p.bool('enabled');
  if (enabled === undefined) {
    const name = param(i, 'adjustable_quantity][enabled');
    throw invalidRequest(`Missing required param: ${name}.`, name, 'parameter_missing');
  }
  const minimum = p.int('minimum') ?? 0;
  const maximum = p.int('maximum') ?? null;
  if (minimum < 0) throw invalidRequest('The minimum quantity must be at least 0.', param(i, 'minimum'));
  if (maximum !== null && (maximum < 1 || maximum < minimum)) {
    throw invalidRequest('The maximum quantity must be at least 1 and at least the minimum.', param(i, 'maximum'));
  }
  return { enabled, maximum, minimum };
}

function parseProducts(ctx: Ctx, list: Params[]): UpdateProduct[] {
  if (list.length > 10)
    throw invalidRequest('You can list up to 10 products.', 'features[subscription_update][products]');
  return list.map((p, i) => {
    const product = getProduct(ctx, p.reqStr('product'), param(i, 'product')).id;
    const prices = p.strList('prices');
    if (prices.length === 0) throw invalidRequest(`Missing required param: ${param(i, 'prices')}.`, param(i, 'prices'));
    for (const id of prices) {
      if (productIdOf(getPrice(ctx, id, param(i, 'prices'))) !== product) {
        throw invalidRequest(`The price ${id} does not belong to the product ${product}.`, param(i, 'prices'));
      }
    }
    return { adjustable_quantity: parseAdjustable(p.obj('adjustable_quantity'), i), prices, product };
  });
}

function parseSubscriptionUpdate(ctx: Ctx, p: Params | undefined, current: UpdateFeature): UpdateFeature {
  if (!p) return current;
  const allowed = p.has('default_allowed_updates')
    ? p.strList('default_allowed_updates').map((u) => {
        if (!(ALLOWED_UPDATES as readonly string[]).includes(u)) {
          throw invalidRequest(`Invalid default_allowed_updates: ${u}`, 'features[subscription_update]');
        }
        return u as AllowedUpdate;
      })
    : current.default_allowed_updates;
  return {
    ...current,
    enabled: p.bool('enabled') ?? current.enabled,
    default_allowed_updates: allowed,
    products: p.has('products') ? parseProducts(ctx, p.list('products')) : current.products,
    proration_behavior: p.oneOf('proration_behavior', PRORATIONS) ?? current.proration_behavior,
  };
}

const NO_UPDATES: UpdateFeature = {
  billing_cycle_anchor: null,
  default_allowed_updates: [],
  enabled: false,
  products: [],
  proration_behavior: 'create_prorations',
  schedule_at_period_end: { conditions: [] },
  trial_update_behavior: 'continue_trial',
};

function createConfiguration(ctx: Ctx, p: Params): Configuration {
  const features = p.obj('features');
  if (!features) throw invalidRequest('Missing required param: features.', 'features', 'parameter_missing');
  const now = nowOf(ctx);
  const config: Configuration = {
    id: newId('bpc'),
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: now,
    default_return_url: p.str('default_return_url') ?? null,
    features: {
      customer_update: { allowed_updates: [], enabled: false },
      invoice_history: { enabled: features.obj('invoice_history')?.bool('enabled') ?? false },
      payment_method_update: {
        enabled: features.obj('payment_method_update')?.bool('enabled') ?? false,
        payment_method_configuration: null,
      },
      subscription_cancel: {
        cancellation_reason: { enabled: false, feedback_options: [], options: [] },
        enabled: features.obj('subscription_cancel')?.bool('enabled') ?? false,
        mode: 'at_period_end',
        proration_behavior: 'none',
      },
      subscription_pause: {
        duration: { interval_options: [{ interval: 'month', interval_count: 1 }], type: 'interval_options' },
        enabled: false,
      },
      subscription_update: parseSubscriptionUpdate(ctx, features.obj('subscription_update'), NO_UPDATES),
    },
    is_default: false,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: p.metadata('metadata') ?? {},
    name: p.str('name') ?? null,
    updated: now,
  };
  ctx.em.store.portalConfigurations.set(config.id, config);
  return config;
}

function updateConfiguration(ctx: Ctx, config: Configuration, p: Params): Configuration {
  const active = p.bool('active');
  if (active !== undefined) config.active = active;
  const features = p.obj('features');
  config.features.subscription_update = parseSubscriptionUpdate(
    ctx,
    features?.obj('subscription_update'),
    config.features.subscription_update,
  );
  const metadata = p.metadata('metadata', config.metadata ?? {});
  if (metadata) config.metadata = metadata;
  if (p.has('name')) config.name = p.str('name') ?? null;
  config.updated = nowOf(ctx);
  return config;
}

export const portalConfigurationRoutes = [
  route(
    'POST',
    '/v1/billing_portal/configurations',
    ['features', 'metadata', 'name', 'default_return_url', 'business_profile'],
    (ctx, p) => createConfiguration(ctx, p),
  ),
  route(
    'GET',
    '/v1/billing_portal/configurations',
    ['active', 'is_default', 'limit', 'starting_after', 'ending_before'],
    (ctx, p) => {
      const active = p.bool('active');
      const items = newestFirst(ctx.em.store.portalConfigurations.values()).filter(
        (c) => active === undefined || c.active === active,
      );
      return paginate(items, p, '/v1/billing_portal/configurations');
    },
  ),
  route('GET', '/v1/billing_portal/configurations/:id', [], (ctx, _p, args) => getPortalConfiguration(ctx, arg(args))),
  route('POST', '/v1/billing_portal/configurations/:id', ['active', 'features', 'metadata', 'name'], (ctx, p, args) =>
    updateConfiguration(ctx, getPortalConfiguration(ctx, arg(args)), p),
  ),
];
