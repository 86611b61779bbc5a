import { schema } from '@contox/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { expect } from 'vitest';
import { settled } from './billing-helpers';
import type { Harness } from './harness';

export const DAY = 86_400;

export interface Summary {
  period: { start: string; end: string };
  allowance: { limit: number | null; used: number; remaining: number | null };
  autoRechargeSpent: number;
}

export interface SubscriptionAnswer {
  plan: string;
  status: string;
  seats: number;
  interval: 'month' | 'year' | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: string | null;
  pastDue: boolean;
  payUrl: string | null;
}

export async function getJson<T>(h: Harness, path: string, key: string): Promise<T> {
  const res = await h.fetch(path, { key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as T;
}

export const summary = (h: Harness, key: string) => getJson<Summary>(h, '/api/billing/credits/summary', key);
export const subscriptionOf = (h: Harness, key: string) =>
  getJson<SubscriptionAnswer>(h, '/api/billing/subscription', key);

/** Spends tokens (plan allowance first, then credits) under a fresh idempotency key. */
export async function spend(h: Harness, key: string, amount: number) {
  const res = await h.fetch('/api/billing/credits/spend', {
    method: 'POST',
    key,
    body: { amount, description: 'Enrichment - session sess_policy', idempotencyKey: `policy-${Math.random()}` },
  });
  return { status: res.status, body: res.body as { fromAllowance?: number; fromCredits?: number } };
}

/** The test clock over HTTP: the service and the emulator move together, renewals' webhooks handled when it answers. */
export async function advance(h: Harness, key: string, seconds: number): Promise<string> {
  const res = await h.fetch('/api/dev/clock/advance', { method: 'POST', key, body: { seconds } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await settled(h);
  return (res.body as { now: string }).now;
}

/** Stripe's copy of the account's subscription. */
export async function stripeSubscription(h: Harness, accountId: string): Promise<Stripe.Subscription> {
  const [row] = await h.db.db.select().from(schema.subscriptions).where(eq(schema.subscriptions.accountId, accountId));
  return h.deps.stripe.subscriptions.retrieve(row!.stripeSubscriptionId);
}

/** Makes the subscription charge this test card from now on (`pm_card_chargeCustomerFail` fails every charge). */
export async function useCard(h: Harness, sub: Stripe.Subscription, card: string): Promise<void> {
  const customer = sub.customer as string;
  const pm = await h.deps.stripe.paymentMethods.attach(card, { customer });
  await h.deps.stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } });
  await h.deps.stripe.subscriptions.update(sub.id, { default_payment_method: pm.id });
}

/** Posts a form of one of Stripe's pages (portal, hosted invoice), as the customer's browser does. */
export function portalForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Changes plan, interval or seats the way the dashboard does: checkout answers a portal page, the customer confirms. */
export async function changePlan(
  h: Harness,
  key: string,
  body: { planId: string; seats?: number; interval?: 'month' | 'year' },
): Promise<void> {
  const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const url = (res.body as { url: string }).url;
  expect(url).toMatch(/\/p\/session\/bps_/);
  expect((await portalForm(url, { action: 'confirm_update' })).status).toBe(303);
  await settled(h);
}
