import fc from 'fast-check';
import type { JsonSchema } from '../fire/bad-requests';
import { anyJson, hostileString, toJsonText } from './hostile';
import { nearSchema } from './near-schema';
import type { FuzzRequest } from './requests';

/** The webhook's name in reports; not in the OpenAPI document (Stripe calls it, not API clients). */
export const WEBHOOK_TARGET = 'webhook POST /api/billing/webhook';

const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
];

const text: JsonSchema = { type: 'string' };
const integer: JsonSchema = { type: 'integer', minimum: 0 };

/** The fields the handled events read, all in one object: each event type meets the others' fields too. */
const stripeObject: JsonSchema = {
  type: 'object',
  properties: {
    id: text,
    object: text,
    status: text,
    customer: text,
    subscription: text,
    payment_intent: text,
    mode: text,
    amount: integer,
    amount_received: integer,
    currency: text,
    cancel_at_period_end: { type: 'boolean' },
    current_period_start: integer,
    current_period_end: integer,
    metadata: {
      type: 'object',
      properties: { accountId: text, creditPaymentId: text, paymentId: text, kind: text, packId: text, planId: text },
    },
    items: {
      type: 'object',
      properties: {
        data: {
          type: 'array',
          items: { type: 'object', properties: { quantity: integer, price: { type: 'object' } } },
        },
      },
    },
  },
};

const event: JsonSchema = {
  type: 'object',
  properties: {
    id: text,
    object: text,
    type: { type: 'string', enum: [...HANDLED_EVENT_TYPES, 'customer.created', 'fuzz.unknown'] },
    created: integer,
    livemode: { type: 'boolean' },
    data: { type: 'object', properties: { object: stripeObject } },
  },
  required: ['id', 'object', 'type', 'created', 'data'],
};

/** Names only objects Stripe never made: an event must not need them to exist to be answered well. */
const base = {
  id: 'evt_fuzz',
  object: 'event',
  created: 1_768_471_200,
  livemode: false,
  data: {
    object: {
      id: 'obj_fuzz',
      object: 'payment_intent',
      status: 'succeeded',
      customer: 'cus_fuzz',
      subscription: 'sub_fuzz',
      amount: 500,
      currency: 'eur',
      metadata: { accountId: 'acct_fuzz', creditPaymentId: 'pay_fuzz' },
    },
  },
};

/**
 * Deliveries to the webhook: odd events signed with the right secret (what Stripe itself might send: unknown
 * objects, missing fields, wrong types), anything else signed, and deliveries with a wrong signature.
 */
export function webhookRequests(sign: (payload: string) => string): fc.Arbitrary<FuzzRequest> {
  const payloads = fc.oneof(
    { arbitrary: nearSchema(event, base), weight: 6 },
    fc.oneof(anyJson, fc.constantFrom(null, [], '', 0)),
  );
  const signed = payloads.map(toJsonText).map((payload) => ({
    target: WEBHOOK_TARGET,
    method: 'POST',
    url: '/api/billing/webhook',
    headers: { 'content-type': 'application/json', 'stripe-signature': sign(payload) },
    body: payload,
  }));
  const forged = fc
    .tuple(
      nearSchema(event, base),
      fc.oneof(
        hostileString.map((s) => s.replace(/[^\u0020-\u007e]/g, '').slice(0, 300)),
        fc.constant('t=1,v1=00'),
      ),
    )
    .map(([value, signature]) => ({
      target: WEBHOOK_TARGET,
      method: 'POST',
      url: '/api/billing/webhook',
      headers: { 'content-type': 'application/json', ...(signature.trim() ? { 'stripe-signature': signature } : {}) },
      body: toJsonText(value),
    }));
  return fc.oneof({ arbitrary: signed, weight: 4 }, forged);
}
