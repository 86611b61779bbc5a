import { describe, expect, it } from 'vitest';
import { LIVE_STATUSES, METRICS, TOKENS_METRIC } from '../src/index';

// Stripe's subscription statuses (https://docs.stripe.com/api/subscriptions/object#subscription_object-status).
const STRIPE_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
];

describe('LIVE_STATUSES', () => {
  it('keeps the plan while Stripe still collects (trialing, active, past_due) and for no other status', () => {
    expect(STRIPE_STATUSES.filter((status) => LIVE_STATUSES.includes(status))).toEqual([
      'trialing',
      'active',
      'past_due',
    ]);
    expect(LIVE_STATUSES).toHaveLength(3);
  });
});

describe('TOKENS_METRIC', () => {
  it('is the name stored counter rows already carry, and no usage metric shares it', () => {
    expect(TOKENS_METRIC).toBe('tokens');
    expect(METRICS).not.toContain(TOKENS_METRIC);
  });
});
