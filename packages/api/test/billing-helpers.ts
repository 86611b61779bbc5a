import { expect } from 'vitest';
import { addMember } from '../src/services/accounts/create-account';
import { createApiKey } from '../src/services/auth/create-api-key';
import { ALL_SCOPES } from '../src/services/auth/keys';
import { type Harness, WEBHOOK_BUDGET_MS, WEBHOOK_SECRET } from './harness';

/** The emulator's hosted checkout URLs end in the session id, as Stripe's do. */
export function sessionIdOf(checkoutUrl: string): string {
  const id = /\/c\/pay\/(cs_[^/?#]+)/.exec(checkoutUrl)?.[1];
  if (!id) throw new Error(`not a checkout URL: ${checkoutUrl}`);
  return id;
}

/** Checkout through the API, pay on the emulator's page with a test card, wait for the webhooks. */
export async function subscribe(h: Harness, key: string, body: { planId: string; seats?: number; interval?: string }) {
  const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const url = (res.body as { url: string }).url;
  await h.emulator.control.completeCheckout(sessionIdOf(url), '4242424242424242');
  await settled(h);
  return url;
}

/** GET /api/billing/subscription for an account on the free plan; `status` is how its last subscription ended. */
export function freePlanView(status: 'none' | 'canceled' = 'none') {
  return {
    plan: 'free',
    status,
    seats: 1,
    interval: null,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    cancelAt: null,
    pastDue: false,
    payUrl: null,
  };
}

/** Waits until every webhook the emulator has queued was delivered and answered. */
export async function settled(h: Harness): Promise<void> {
  expect(await h.emulator.control.waitForWebhooks(WEBHOOK_BUDGET_MS)).toBe(true);
}

/**
 * How many times the SDK sends one call before giving up (1 + its retries, as production sets them): a
 * 500 or a dropped connection injected this many times in a row is an outage for that call, fewer is a
 * blip the retries absorb. (A 429 is not retried: one is enough.)
 */
export const stripeAttempts = (h: Harness): number => 1 + h.deps.stripe.getMaxNetworkRetries();

export async function memberKey(h: Harness, accountId: string, role: 'admin' | 'member'): Promise<string> {
  const memberId = await addMember(h.db.db, {
    accountId,
    email: `${role}-${Math.random()}@example.com`,
    name: role,
    role,
  });
  return createApiKey(h.db.db, { accountId, memberId, name: role, scopes: ALL_SCOPES });
}

/** Posts a payload to the webhook endpoint the way Stripe signs it, at a chosen signing time. */
export async function deliver(
  h: Harness,
  payload: string,
  opts: { timestamp?: number; secret?: string; signature?: string } = {},
) {
  const signature =
    opts.signature ??
    h.deps.stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? WEBHOOK_SECRET,
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    });
  return h.fetch('/api/billing/webhook', {
    method: 'POST',
    body: payload,
    headers: { 'stripe-signature': signature, 'content-type': 'application/json' },
  });
}
