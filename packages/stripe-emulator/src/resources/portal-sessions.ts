import type Stripe from 'stripe';
import { invalidRequest, notFound } from '../errors';
import type { Params } from '../form';
import { newId } from '../ids';
import { arg, route } from '../router';
import { type Ctx, nowOf } from '../state';
import { getCustomer } from './customers';
import { emit } from './events';
import { getPortalConfiguration } from './portal-configurations';
import { getPrice } from './prices';
import { customerIdOf, getSubscription } from './subscriptions';

const FLOW_TYPES = [
  'subscription_update_confirm',
  'subscription_cancel',
  'subscription_update',
  'payment_method_update',
] as const;

export const DEFAULT_PORTAL_CONFIGURATION = 'bpc_emulator_default';

export function getPortalSession(ctx: Ctx, id: string): Stripe.BillingPortal.Session {
  const s = ctx.em.store.portalSessions.get(id);
  if (!s) throw notFound('billing_portal.session', id);
  return s;
}

function ownedSubscription(ctx: Ctx, customer: string, id: string, param: string): Stripe.Subscription {
  const sub = getSubscription(ctx, id, param);
  if (customerIdOf(sub) !== customer) throw notFound('subscription', id, param);
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest('You cannot update a subscription that has been canceled.', param, 'subscription_canceled');
  }
  return sub;
}

function parseAfterCompletion(p: Params | undefined): Stripe.BillingPortal.Session.Flow.AfterCompletion {
  const type = p?.oneOf('type', ['portal_homepage', 'redirect', 'hosted_confirmation'] as const) ?? 'portal_homepage';
  if (type === 'redirect') {
    const returnUrl = p?.obj('redirect')?.str('return_url');
    if (!returnUrl) {
      throw invalidRequest(
        'Missing required param: flow_data[after_completion][redirect][return_url].',
        'flow_data[after_completion][redirect][return_url]',
        'parameter_missing',
      );
    }
    return { type, redirect: { return_url: returnUrl }, hosted_confirmation: null };
  }
  if (type === 'hosted_confirmation') {
    const message = p?.obj('hosted_confirmation')?.str('custom_message') ?? null;
    return { type, redirect: null, hosted_confirmation: { custom_message: message } };
  }
  return { type, redirect: null, hosted_confirmation: null };
}

function parseFlow(ctx: Ctx, customer: string, p: Params | undefined): Stripe.BillingPortal.Session.Flow | null {
  if (!p) return null;
  const type = p.oneOf('type', FLOW_TYPES);
  if (!type) throw invalidRequest('Missing required param: flow_data[type].', 'flow_data[type]', 'parameter_missing');
  const flow: Stripe.BillingPortal.Session.Flow = {
    type,
    after_completion: parseAfterCompletion(p.obj('after_completion')),
    customer_update: null,
    subscription_cancel: null,
    subscription_pause: null,
    subscription_update: null,
    subscription_update_confirm: null,
  };
  if (type === 'subscription_update_confirm') {
    const confirm = p.obj('subscription_update_confirm');
    const param = 'flow_data[subscription_update_confirm]';
    if (!confirm) throw invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
    const sub = ownedSubscription(ctx, customer, confirm.reqStr('subscription'), `${param}[subscription]`);
    const items = confirm.list('items');
    if (items.length === 0)
      throw invalidRequest(`Missing required param: ${param}[items].`, `${param}[items]`, 'parameter_missing');
    flow.subscription_update_confirm = {
      discounts: [],
      subscription: sub.id,
      items: items.map((it, i) => {
        const id = it.reqStr('id');
        if (!sub.items.data.some((x) => x.id === id)) {
          throw invalidRequest(`Invalid subscription item: ${id}`, `${param}[items][${i}][id]`);
        }
        const price = it.str('price') ?? null;
        if (price) getPrice(ctx, price, `${param}[items][${i}][price]`);
        const quantity = it.int('quantity');
        return { id, price, ...(quantity !== undefined ? { quantity } : {}) };
      }),
    };
  } else if (type === 'subscription_cancel') {
    const cancel = p.obj('subscription_cancel');
    const param = 'flow_data[subscription_cancel]';
    if (!cancel) throw invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
    const sub = ownedSubscription(ctx, customer, cancel.reqStr('subscription'), `${param}[subscription]`);
    flow.subscription_cancel = { retention: null, subscription: sub.id };
  } else if (type === 'subscription_update') {
    const update = p.obj('subscription_update');
    const param = 'flow_data[subscription_update]';
    if (!update) throw invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
    const sub = ownedSubscription(ctx, customer, update.reqStr('subscription'), `${param}[subscription]`);
    flow.subscription_update = { subscription: sub.id };
  }
  return flow;
}

/** The configuration a session uses: the one named (it must exist and be active), else the default. */
function configurationOf(ctx: Ctx, id: string | undefined): string {
  if (!id || id === DEFAULT_PORTAL_CONFIGURATION) return DEFAULT_PORTAL_CONFIGURATION;
  const config = getPortalConfiguration(ctx, id, 'configuration');
  if (!config.active) throw invalidRequest('The configuration is inactive.', 'configuration');
  return config.id;
}

function createPortalSession(ctx: Ctx, p: Params): Stripe.BillingPortal.Session {
  const customer = getCustomer(ctx, p.reqStr('customer'), 'customer');
  const id = newId('bps');
  const session: Stripe.BillingPortal.Session = {
    id,
    object: 'billing_portal.session',
    configuration: configurationOf(ctx, p.str('configuration')),
    created: nowOf(ctx),
    customer: customer.id,
    customer_account: null,
    flow: parseFlow(ctx, customer.id, p.obj('flow_data')),
    livemode: false,
    locale: (p.str('locale') ?? null) as Stripe.BillingPortal.Session.Locale | null,
    on_behalf_of: p.str('on_behalf_of') ?? null,
    return_url: p.str('return_url') ?? null,
    url: `${ctx.em.publicUrl}/p/session/${id}`,
  };
  ctx.em.store.portalSessions.set(id, session);
  emit(ctx, 'billing_portal.session.created', session);
  return session;
}

export const portalSessionRoutes = [
  route(
    'POST',
    '/v1/billing_portal/sessions',
    ['customer', 'return_url', 'flow_data', 'configuration', 'locale', 'on_behalf_of'],
    (ctx, p) => createPortalSession(ctx, p),
  ),
  // Not part of Stripe's public API (sessions are write-only there) but handy for tests.
  route('GET', '/v1/billing_portal/sessions/:id', [], (ctx, _p, args) => getPortalSession(ctx, arg(args))),
];
