import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import { cardError, invalidRequest, notFound } from '../errors';
import { newId } from '../ids';
import { newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type CardBehaviour, type CardState, type Ctx, nowOf } from '../state';
import { getCustomer } from './customers';
import { emit } from './events';

export interface TestCard {
  number: string;
  token: string;
  brand: string;
  behaviour: CardBehaviour;
}

/** Stripe's documented test cards and the PaymentMethod shortcuts that stand for them. */
export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', token: 'pm_card_visa', brand: 'visa', behaviour: 'succeed' },
  { number: '5555555555554444', token: 'pm_card_mastercard', brand: 'mastercard', behaviour: 'succeed' },
  { number: '378282246310005', token: 'pm_card_amex', brand: 'amex', behaviour: 'succeed' },
  { number: '4000000000000002', token: 'pm_card_chargeDeclined', brand: 'visa', behaviour: 'decline' },
  {
    number: '4000000000009995',
    token: 'pm_card_chargeDeclinedInsufficientFunds',
    brand: 'visa',
    behaviour: 'insufficient_funds',
  },
  { number: '4000000000000341', token: 'pm_card_chargeCustomerFail', brand: 'visa', behaviour: 'charge_customer_fail' },
  {
    number: '4000002500003155',
    token: 'pm_card_authenticationRequiredSetupForOffSession',
    brand: 'visa',
    behaviour: 'auth_unless_setup',
  },
  { number: '4000002760003184', token: 'pm_card_authenticationRequired', brand: 'visa', behaviour: 'auth_always' },
];

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandFor(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  if (/^5[1-5]/.test(digits) || /^2[2-7]/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  return 'unknown';
}

/**
 * Card for a typed number. Unknown but well-formed numbers behave like a plain successful
 * card, which keeps manual testing forgiving; malformed ones fail like Stripe's form does.
 */
export function cardForNumber(input: string): TestCard {
  const digits = input.replace(/[\s-]/g, '');
  const known = TEST_CARDS.find((c) => c.number === digits);
  if (known) return known;
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) {
    throw cardError({ code: 'incorrect_number', message: 'Your card number is incorrect.', param: 'number' });
  }
  return { number: digits, token: '', brand: brandFor(digits), behaviour: 'succeed' };
}

export function cardForToken(token: string): TestCard | undefined {
  return TEST_CARDS.find((c) => c.token === token);
}

export function createCardPaymentMethod(
  ctx: Ctx,
  card: TestCard,
  billing: { email?: string | null; name?: string | null } = {},
): Stripe.PaymentMethod {
  const created = nowOf(ctx);
  const expYear = new Date(created * 1000).getUTCFullYear() + 3;
  const pm: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: billing.email ?? null,
      name: billing.name ?? null,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: card.brand,
      exp_month: 12,
      exp_year: expYear,
      fingerprint: createHash('sha256').update(card.number).digest('hex').slice(0, 16),
      funding: 'credit',
      generated_from: null,
      last4: card.number.slice(-4),
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  ctx.em.store.paymentMethods.set(pm.id, pm);
  ctx.em.store.cards.set(pm.id, { behaviour: card.behaviour, offSessionReady: false });
  return pm;
}

export function cardState(ctx: Ctx, pmId: string): CardState {
  return ctx.em.store.cards.get(pmId) ?? { behaviour: 'succeed', offSessionReady: false };
}

/** A stored PaymentMethod, or a fresh one when given a `pm_card_*` shortcut. */
export function resolvePaymentMethod(ctx: Ctx, id: string, param = 'payment_method'): Stripe.PaymentMethod {
  const stored = ctx.em.store.paymentMethods.get(id);
  if (stored) return stored;
  const card = cardForToken(id);
  if (card) return createCardPaymentMethod(ctx, card);
  throw notFound('PaymentMethod', id, param);
}

export type ChargeMode = 'off_session' | 'on_session' | 'authenticated';

export type Outcome =
  | { ok: true }
  | { ok: false; kind: 'requires_action' }
  | { ok: false; kind: 'error'; code: string; declineCode: string; message: string };

const DECLINED = 'Your card was declined.';

/**
 * The result of charging this card. `authenticated` stands for a customer present on the
 * hosted page who passes any 3-D Secure challenge.
 */
export function chargeOutcome(ctx: Ctx, pmId: string, mode: ChargeMode): Outcome {
  const state = cardState(ctx, pmId);
  switch (state.behaviour) {
    case 'succeed':
      return { ok: true };
    case 'decline':
      return { ok: false, kind: 'error', code: 'card_declined', declineCode: 'generic_decline', message: DECLINED };
    case 'insufficient_funds':
      return {
        ok: false,
        kind: 'error',
        code: 'card_declined',
        declineCode: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      };
    case 'charge_customer_fail':
      // The brief wants the card to get through its checkout; every later charge fails.
      if (mode === 'authenticated') return { ok: true };
      return { ok: false, kind: 'error', code: 'card_declined', declineCode: 'generic_decline', message: DECLINED };
    case 'auth_unless_setup':
      if (mode === 'authenticated' || (mode === 'off_session' && state.offSessionReady)) return { ok: true };
      return authFailure(mode);
    case 'auth_always':
      if (mode === 'authenticated') return { ok: true };
      return authFailure(mode);
  }
}

function authFailure(mode: ChargeMode): Outcome {
  if (mode === 'on_session') return { ok: false, kind: 'requires_action' };
  return {
    ok: false,
    kind: 'error',
    code: 'authentication_required',
    declineCode: 'authentication_required',
    message: 'Your card was declined. This transaction requires authentication.',
  };
}

/** Attaching runs a card check: cards that decline every charge are refused here already. */
export function attachPaymentMethod(ctx: Ctx, pm: Stripe.PaymentMethod, customerId: string): Stripe.PaymentMethod {
  const customer = getCustomer(ctx, customerId, 'customer');
  if (pm.customer === customer.id) return pm;
  if (pm.customer) {
    throw invalidRequest(
      'The payment method you provided has already been attached to a customer.',
      'payment_method',
      'payment_method_unexpected_state',
    );
  }
  const behaviour = cardState(ctx, pm.id).behaviour;
  if (behaviour === 'decline' || behaviour === 'insufficient_funds') {
    const outcome = chargeOutcome(ctx, pm.id, 'authenticated');
    if (!outcome.ok && outcome.kind === 'error') {
      throw cardError({ code: outcome.code, declineCode: outcome.declineCode, message: outcome.message });
    }
  }
  pm.customer = customer.id;
  emit(ctx, 'payment_method.attached', pm);
  return pm;
}

export function markOffSessionReady(ctx: Ctx, pmId: string): void {
  const state = cardState(ctx, pmId);
  ctx.em.store.cards.set(pmId, { ...state, offSessionReady: true });
}

function detach(ctx: Ctx, pm: Stripe.PaymentMethod): Stripe.PaymentMethod {
  if (!pm.customer) {
    throw invalidRequest(
      'The payment method you provided is not attached to a customer so detachment is impossible.',
      undefined,
      'payment_method_unexpected_state',
    );
  }
  const customerId = typeof pm.customer === 'string' ? pm.customer : pm.customer.id;
  pm.customer = null;
  const customer = ctx.em.store.customers.get(customerId);
  if (customer?.invoice_settings.default_payment_method === pm.id) {
    customer.invoice_settings.default_payment_method = null;
  }
  emit(ctx, 'payment_method.detached', pm);
  return pm;
}

function listFor(ctx: Ctx, customerId: string, type: string | undefined): Stripe.PaymentMethod[] {
  return newestFirst(ctx.em.store.paymentMethods.values()).filter(
    (pm) => pm.customer === customerId && (!type || pm.type === type),
  );
}

export const paymentMethodRoutes = [
  route('GET', '/v1/payment_methods', ['customer', 'type', 'limit', 'starting_after', 'ending_before'], (ctx, p) => {
    const customer = p.reqStr('customer');
    getCustomer(ctx, customer, 'customer');
    return paginate(listFor(ctx, customer, p.str('type')), p, '/v1/payment_methods');
  }),
  route(
    'GET',
    '/v1/customers/:id/payment_methods',
    ['type', 'limit', 'starting_after', 'ending_before'],
    (ctx, p, args) => {
      const customer = getCustomer(ctx, arg(args));
      return paginate(listFor(ctx, customer.id, p.str('type')), p, `/v1/customers/${customer.id}/payment_methods`);
    },
  ),
  route('GET', '/v1/payment_methods/:id', [], (ctx, _p, args) => resolvePaymentMethod(ctx, arg(args), 'id')),
  route('POST', '/v1/payment_methods/:id/attach', ['customer'], (ctx, p, args) =>
    attachPaymentMethod(ctx, resolvePaymentMethod(ctx, arg(args), 'id'), p.reqStr('customer')),
  ),
  route('POST', '/v1/payment_methods/:id/detach', [], (ctx, _p, args) => {
    const pm = ctx.em.store.paymentMethods.get(arg(args));
    if (!pm) throw notFound('PaymentMethod', arg(args));
    return detach(ctx, pm);
  }),
  route('POST', '/v1/payment_methods/:id', ['metadata', 'billing_details'], (ctx, p, args) => {
    const pm = ctx.em.store.paymentMethods.get(arg(args));
    if (!pm) throw notFound('PaymentMethod', arg(args));
    const metadata = p.metadata('metadata', pm.metadata ?? {});
    if (metadata) pm.metadata = metadata;
    emit(ctx, 'payment_method.updated', pm);
    return pm;
  }),
];
