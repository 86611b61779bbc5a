import { randomBytes } from 'node:crypto';
import {
  MAX_CURSOR_DIGITS,
  MAX_DESCRIPTION_LENGTH,
  MAX_EVENT_ID_LENGTH,
  MAX_HISTORY_DAYS,
  MAX_IDEMPOTENCY_HEADER_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_PAGE_SIZE,
  MAX_RECHARGE_THRESHOLD,
  MAX_SEATS,
  MAX_SPEND_AMOUNT,
  MAX_SPENDING_LIMIT,
  MAX_URL_LENGTH,
  MAX_USAGE_EVENTS_PER_CALL,
  MAX_USAGE_QUANTITY,
} from '@contox/core';

// Every input limit of the API (see README: Input limits), one request past each; input-limits.test.ts sends them.

/** One hostile request: what it sends and the field its 400 must name. */
export interface Hostile {
  why: string;
  op: string;
  field: string;
  input: Record<string, unknown>;
  headers?: Record<string, string>;
}

export const SPEND = 'POST /api/billing/credits/spend';
const PURCHASE = 'POST /api/billing/credits/purchase';
const USAGE = 'POST /api/billing/usage/events';
export const spendBody = (over: Record<string, unknown>) => ({
  amount: 5,
  description: 'Enrichment',
  idempotencyKey: 'k',
  ...over,
});
const event = (over: Record<string, unknown>) => ({ events: [{ id: 'evt', metric: 'events', quantity: 1, ...over }] });
const long = (n: number) => 'x'.repeat(n);

export const HOSTILE: Hostile[] = [
  { why: 'NUL in description', op: SPEND, field: 'description', input: spendBody({ description: 'evil\u0000' }) },
  { why: 'NUL in idempotencyKey', op: SPEND, field: 'idempotencyKey', input: spendBody({ idempotencyKey: 'k\u0000' }) },
  { why: 'lone high surrogate', op: SPEND, field: 'description', input: spendBody({ description: 'a\ud800b' }) },
  { why: 'lone low surrogate', op: SPEND, field: 'idempotencyKey', input: spendBody({ idempotencyKey: '\udc00' }) },
  { why: 'newline in description', op: SPEND, field: 'description', input: spendBody({ description: 'a\nb' }) },
  { why: 'C1 control', op: SPEND, field: 'description', input: spendBody({ description: 'a\u0085b' }) },
  {
    why: 'long description',
    op: SPEND,
    field: 'description',
    input: spendBody({ description: long(MAX_DESCRIPTION_LENGTH + 1) }),
  },
  {
    why: 'long key',
    op: SPEND,
    field: 'idempotencyKey',
    input: spendBody({ idempotencyKey: long(MAX_IDEMPOTENCY_KEY_LENGTH + 1) }),
  },
  { why: 'fractional amount', op: SPEND, field: 'amount', input: spendBody({ amount: 1.5 }) },
  { why: 'amount over the maximum', op: SPEND, field: 'amount', input: spendBody({ amount: MAX_SPEND_AMOUNT + 1 }) },
  { why: 'huge amount', op: SPEND, field: 'amount', input: spendBody({ amount: 1e300 }) },
  { why: 'NUL in event id', op: USAGE, field: 'events.0.id', input: event({ id: 'evt\u0000' }) },
  { why: 'long event id', op: USAGE, field: 'events.0.id', input: event({ id: long(MAX_EVENT_ID_LENGTH + 1) }) },
  { why: 'huge quantity', op: USAGE, field: 'events.0.quantity', input: event({ quantity: MAX_USAGE_QUANTITY + 1 }) },
  {
    why: 'huge storage shrink',
    op: USAGE,
    field: 'events.0.quantity',
    input: event({ metric: 'storage', quantity: -MAX_USAGE_QUANTITY - 1 }),
  },
  { why: 'fractional quantity', op: USAGE, field: 'events.0.quantity', input: event({ quantity: 0.5 }) },
  {
    why: 'too many events',
    op: USAGE,
    field: 'events',
    input: {
      events: Array.from({ length: MAX_USAGE_EVENTS_PER_CALL + 1 }, (_, i) => ({
        id: `e${i}`,
        metric: 'events',
        quantity: 1,
      })),
    },
  },
  { why: 'NUL in packId', op: PURCHASE, field: 'packId', input: { packId: 'credits_1m\u0000' } },
  // Random, so that Postgres cannot compress it below its index entry limit (the 500 this used to be).
  ...(['a'.repeat(MAX_IDEMPOTENCY_HEADER_LENGTH + 1), randomBytes(2250).toString('base64'), 'caf\u00e9'].map((key) => ({
    why: `Idempotency-Key header of ${key.length} characters`,
    op: PURCHASE,
    field: 'Idempotency-Key',
    input: { packId: 'credits_1m' },
    headers: { 'idempotency-key': key },
  })) satisfies Hostile[]),
  ...(
    [
      ['threshold', MAX_RECHARGE_THRESHOLD + 1],
      ['spendingLimit', MAX_SPENDING_LIMIT + 1],
      ['packId', 'credits_1m\u0000'],
    ] as const
  ).map(([field, value]) => ({
    why: `auto-recharge ${field}`,
    op: 'PUT /api/billing/credits/auto-recharge',
    field,
    input: { enabled: true, threshold: 1000, packId: 'credits_1m', spendingLimit: 5000, [field]: value },
  })),
  { why: 'NUL in planId', op: 'POST /api/billing/checkout', field: 'planId', input: { planId: 'team\u0000' } },
  {
    why: 'seats',
    op: 'POST /api/billing/checkout',
    field: 'seats',
    input: { planId: 'enterprise', seats: MAX_SEATS + 1 },
  },
  {
    why: 'NUL in a URL',
    op: 'POST /api/billing/checkout',
    field: 'successUrl',
    input: { planId: 'team', successUrl: 'http://localhost:3000/\u0000' },
  },
  {
    why: 'long URL',
    op: 'POST /api/billing/portal',
    field: 'returnUrl',
    input: { returnUrl: `http://localhost:3000/${long(MAX_URL_LENGTH)}` },
  },
  {
    why: 'surrogate in a URL',
    op: 'POST /api/billing/portal',
    field: 'returnUrl',
    input: { returnUrl: 'http://localhost:3000/\udfff' },
  },
  { why: 'page size', op: 'GET /api/billing/credits', field: 'limit', input: { limit: String(MAX_PAGE_SIZE + 1) } },
  { why: 'NUL cursor', op: 'GET /api/billing/credits', field: 'cursor', input: { cursor: '1\u0000' } },
  {
    why: 'long cursor',
    op: 'GET /api/billing/credits',
    field: 'cursor',
    input: { cursor: '9'.repeat(MAX_CURSOR_DIGITS + 1) },
  },
  {
    why: 'history days',
    op: 'GET /api/billing/credits/history',
    field: 'days',
    input: { days: String(MAX_HISTORY_DAYS + 1) },
  },
];
