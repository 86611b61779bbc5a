import type { OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { getSubscriptionOutput } from '../routers/subscriptions/get-subscription.types';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../services/outbox/event-types';

// The OpenAPI 3.1 `webhooks` section: every event Contox Billing POSTs to the operator's endpoints, its body
// (the envelope and the object as the API shows it) and how to verify and acknowledge it.

const time = z.string().meta({ description: 'ISO-8601 UTC' });

const ledgerRow = z.object({
  id: z.string(),
  type: z.enum(['purchase', 'auto_recharge']),
  amount: z.number().int().meta({ description: 'Tokens credited' }),
  price: z.number().int().meta({ description: 'Euro cents charged' }),
  description: z.string().optional(),
  createdAt: time,
});

const credited = z.object({
  paymentId: z.string(),
  packId: z.string(),
  balance: z.number().int().meta({ description: 'Credits after this purchase' }),
  transaction: ledgerRow.meta({ description: 'The ledger row, as GET /api/billing/credits lists it' }),
});

const rechargeFailure = z.object({
  paymentId: z.string(),
  packId: z.string(),
  tokens: z.number().int(),
  price: z.number().int(),
  code: z.string().meta({ description: 'Why, e.g. CARD_DECLINED, NO_PAYMENT_METHOD, PAYMENT_PROVIDER_UNAVAILABLE' }),
  message: z.string(),
});

const usageMark = z.object({
  metric: z.enum(['sessions', 'events', 'enrichments', 'storage']),
  used: z.number().int(),
  limit: z.number().int(),
  period: z.object({ start: time, end: time }),
});

const DATA: Record<WebhookEventType, { about: string; data: z.ZodType }> = {
  'account.created': {
    about: 'An account was created (operator API, command line, sign-up).',
    data: z.object({
      id: z.string(),
      name: z.string(),
      plan: z.string(),
      externalId: z.string().nullable(),
      createdAt: time,
    }),
  },
  'subscription.updated': {
    about:
      'The subscription changed (plan, seats, interval, status, cancelAt, period): the subscription as GET /api/billing/subscription shows it. Sent only when it differs from the last one sent.',
    data: getSubscriptionOutput,
  },
  'subscription.past_due': {
    about:
      'A renewal payment failed and Stripe retries it: sent once on entering past_due, beside subscription.updated.',
    data: getSubscriptionOutput,
  },
  'credits.purchased': { about: 'A credit pack was paid and credited.', data: credited },
  'credits.low': {
    about:
      "Credits plus the plan allowance left fell below the account's alert threshold (PUT /api/billing/credits/alerts): once per crossing.",
    data: z.object({
      balance: z.number().int(),
      allowanceRemaining: z.number().int(),
      available: z.number().int().meta({ description: 'balance + allowanceRemaining' }),
      threshold: z.number().int(),
    }),
  },
  'auto_recharge.succeeded': { about: 'An auto-recharge was charged and credited.', data: credited },
  'auto_recharge.failed': { about: 'An auto-recharge could not be charged.', data: rechargeFailure },
  'auto_recharge.paused': {
    about: 'A failed auto-recharge paused auto-recharge until the owner saves the settings or the card changes.',
    data: rechargeFailure.extend({ status: z.literal('paused'), pausedReason: z.string() }),
  },
  'usage.limit_approaching': {
    about: 'A metric reached 80 % of its plan limit this period (once per metric and period).',
    data: usageMark,
  },
  'usage.limit_reached': {
    about: 'A metric reached its plan limit this period: further events of it are refused until the next period.',
    data: usageMark,
  },
};

const VERIFY =
  "Verify `Contox-Signature: t=<unix>,v1=<hex>` before anything else: v1 is the HMAC-SHA256 of `<t>.<raw body>` under the endpoint's secret, and t must be within five minutes (`verifyWebhook` of @contox/webhooks does both). Deliveries are at least once: dedupe on `id`, order by `sequence` per account.";

function eventSchema(type: WebhookEventType) {
  const { $schema: _, ...schema } = z.toJSONSchema(
    z.object({
      id: z.string().meta({ description: 'evt_…, the same on every delivery of this event' }),
      type: z.literal(type),
      createdAt: time,
      accountId: z.string(),
      externalId: z.string().optional().meta({ description: "The operator's id for the account, when it has one" }),
      sequence: z.number().int().meta({ description: 'Per account, from 1, in the order the changes committed' }),
      data: DATA[type].data,
    }),
    { target: 'draft-2020-12', io: 'output' },
  );
  return schema;
}

function webhookOperation(type: WebhookEventType) {
  return {
    post: {
      operationId: `webhook_${type.replace('.', '_')}`,
      summary: type,
      description: `${DATA[type].about}\n\n${VERIFY}`,
      security: [],
      parameters: [
        {
          name: 'Contox-Signature',
          in: 'header',
          required: true,
          description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">',
          schema: { type: 'string' },
        },
      ],
      requestBody: { required: true, content: { 'application/json': { schema: eventSchema(type) } } },
      responses: {
        '200': { description: 'Any 2xx acknowledges the event. Redirects are not followed.' },
        '400': {
          description:
            'Anything else (or no answer within 10 s) is retried with exponential backoff, from 30 s to 6 h apart, for three days.',
        },
      },
    },
  };
}

/** The document's `webhooks`: one POST per event type. */
export function webhookOperations(): NonNullable<OpenAPIObject['webhooks']> {
  return Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type, webhookOperation(type)])) as NonNullable<
    OpenAPIObject['webhooks']
  >;
}
