import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePlanView, settled, subscribe } from '../billing-helpers';
import { type Harness, useHarness } from '../harness';

// past_due is the state Stripe puts a subscription in when a renewal charge fails; it keeps retrying and then
// cancels. Documented: the account keeps its paid plan meanwhile (core LIVE_STATUSES: "Stripe keeps past_due live
// while it retries") and what was left of its last paid period, but no new allowance until the renewal is paid
// (README, Billing policy); the subscription answer says pastDue with the open invoice's payUrl for the dashboard's
// banner, and an invoice paid later makes it active again.

const DAY = 86_400;
const TEAM_ALLOWANCE = 5_000_000;

describe.each(testDatabaseKinds())('a subscription whose renewal payment fails (past_due), on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true, linkedClock: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  const get = async <T>(path: string, key: string): Promise<T> => {
    const res = await h.fetch(path, { key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as T;
  };
  const view = (key: string) =>
    get<{ plan: string; status: string; currentPeriodStart: string; pastDue: boolean; payUrl: string | null }>(
      '/api/billing/subscription',
      key,
    );

  /** A team × 2 subscriber whose card fails from now on, moved past its renewal: Stripe answers past_due. */
  async function pastDue() {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const before = await view(a.key);
    const [row] = await h.db.db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.accountId, a.accountId));
    const sub = await h.deps.stripe.subscriptions.retrieve(row!.stripeSubscriptionId);
    await useCard(sub, 'pm_card_chargeCustomerFail');
    const end = sub.items.data[0]!.current_period_end;
    await h.emulator.control.advanceClock(end - (await h.emulator.control.now()) + 60);
    await settled(h);
    expect((await h.deps.stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
    return { ...a, sub, before };
  }
  async function useCard(sub: Stripe.Subscription, card: string) {
    const customer = sub.customer as string;
    const pm = await h.deps.stripe.paymentMethods.attach(card, { customer });
    await h.deps.stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } });
    await h.deps.stripe.subscriptions.update(sub.id, { default_payment_method: pm.id });
  }

  it('shows status past_due and keeps the paid plan, its limits and what is left of its allowance while Stripe retries', async () => {
    const a = await pastDue();
    const shown = await view(a.key);
    expect(shown).toMatchObject({ plan: 'team', status: 'past_due', seats: 2, pastDue: true });
    expect(shown.payUrl).toMatch(/\/i\/in_/);
    // The renewal moved the period on, though its invoice is unpaid.
    expect(Date.parse(shown.currentPeriodStart)).toBeGreaterThan(Date.parse(a.before.currentPeriodStart));

    const usage = await get<{ plan: string; usage: { sessions: { limit: number | null } } }>(
      '/api/billing/usage',
      a.key,
    );
    expect(usage).toMatchObject({ plan: 'team', usage: { sessions: { limit: 200 } } });
    const spent = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key: a.key,
      body: { amount: TEAM_ALLOWANCE, description: 'Enrichment - session sess_due', idempotencyKey: 'due' },
    });
    expect(spent.status, JSON.stringify(spent.body)).toBe(200);
    expect(spent.body).toMatchObject({ fromAllowance: TEAM_ALLOWANCE, fromCredits: 0 });
    // The last paid period's allowance, not a new one: nothing more until the renewal is paid.
    const more = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key: a.key,
      body: { amount: 1, description: 'Enrichment - session sess_due', idempotencyKey: 'due-more' },
    });
    expect(more.status).toBe(402);
  });

  it('paying the open invoice with a new card makes it active again, on the same plan', async () => {
    const a = await pastDue();
    await useCard(a.sub, 'pm_card_visa');
    const latest = (await h.deps.stripe.subscriptions.retrieve(a.sub.id)).latest_invoice as string;
    expect((await h.deps.stripe.invoices.pay(latest)).status).toBe('paid');
    await settled(h);
    expect(await view(a.key)).toMatchObject({ plan: 'team', status: 'active', seats: 2, pastDue: false, payUrl: null });
  });

  it('when Stripe gives up retrying it cancels: the account is back on free', async () => {
    const a = await pastDue();
    await h.emulator.control.advanceClock(12 * DAY);
    await settled(h);
    expect((await h.deps.stripe.subscriptions.retrieve(a.sub.id)).status).toBe('canceled');
    expect(await view(a.key)).toEqual(freePlanView('canceled'));
    const usage = await get<{ plan: string }>('/api/billing/usage', a.key);
    expect(usage.plan).toBe('free');
  });
});
