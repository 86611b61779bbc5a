/** Every event Contox Billing sends to webhook endpoints; the names are final (a receiver switches on them). */
export const WEBHOOK_EVENT_TYPES = [
  'account.created',
  'subscription.updated',
  'subscription.past_due',
  'credits.purchased',
  'credits.low',
  'auto_recharge.succeeded',
  'auto_recharge.failed',
  'auto_recharge.paused',
  'usage.limit_approaching',
  'usage.limit_reached',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an endpoint may subscribe to: event types, or `*` for all. */
export const isSubscribable = (name: string): boolean =>
  name === '*' || (WEBHOOK_EVENT_TYPES as readonly string[]).includes(name);
