import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { settled, subscribe } from './billing-helpers';
import { type Harness, useHarness, WEBHOOK_SECRET } from './harness';
import {
  advance,
  changePlan,
  DAY,
  portalForm,
  spend,
  stripeSubscription,
  subscriptionOf,
  summary,
  useCard,
} from './policy-helpers';

// Billing policy, usage periods: monthly, anchored on the subscription's billing anchor; plan, seat and interval
// changes keep the period and what was used in it; the renewal gap keeps the current period; a renewal whose
// invoice is unpaid (past_due) grants nothing until it is paid. Time moves through POST /api/dev/clock/advance.

const TEAM = 5_000_000;
const iso = (unix: number) => new Date(unix * 1000).toISOString().replace('.000Z', 'Z');
const ms = (s: string) => Date.parse(s);

describe.each(testDatabaseKinds())('billing policy: one usage period whatever changes, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true, linkedClock: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  it('monthly → yearly mid-month keeps the period, the allowance used and the auto-recharge spend; the year is cut into months', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const first = await summary(h, a.key);
    const recharge = { enabled: true, threshold: 100, packId: 'credits_1m', spendingLimit: 5000 };
    expect(
      (await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body: recharge })).status,
    ).toBe(200);
    // The allowance, then credits an auto-recharge buys (1,000,000 tokens for €5.00).
    expect((await spend(h, a.key, TEAM + 500_000)).body).toMatchObject({ fromAllowance: TEAM, fromCredits: 500_000 });
    const before = await summary(h, a.key);
    expect(before).toMatchObject({ allowance: { used: TEAM, remaining: 0 }, autoRechargeSpent: 500 });
    await advance(h, a.key, 10 * DAY);

    await changePlan(h, a.key, { planId: 'team', seats: 2, interval: 'year' });
    const sub = await subscriptionOf(h, a.key);
    expect(sub).toMatchObject({ plan: 'team', interval: 'year', seats: 2, pastDue: false });
    // Stripe restarted the billing cycle; the usage period did not.
    expect(ms(sub.currentPeriodStart!)).toBeGreaterThan(ms(first.period.start));
    const after = await summary(h, a.key);
    expect(after.period).toEqual(first.period);
    expect(after).toMatchObject({ allowance: { used: TEAM, remaining: 0 }, autoRechargeSpent: 500 });

    // A seat change later in the same month keeps it too.
    await changePlan(h, a.key, { planId: 'team', seats: 3, interval: 'year' });
    expect(await summary(h, a.key)).toMatchObject({ period: first.period, allowance: { used: TEAM } });

    // The next monthly period starts at the end of this one, inside the paid year, with a fresh allowance.
    await advance(h, a.key, 21 * DAY);
    const next = await summary(h, a.key);
    expect(next.period.start).toBe(first.period.end);
    expect(next).toMatchObject({ allowance: { limit: TEAM, used: 0, remaining: TEAM }, autoRechargeSpent: 0 });
    expect((await subscriptionOf(h, a.key)).currentPeriodStart).toBe(sub.currentPeriodStart);
  });

  it('the renewal gap keeps the current period and what was used in it until Stripe reports the renewal', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const first = await summary(h, a.key);
    expect((await spend(h, a.key, TEAM)).body).toMatchObject({ fromAllowance: TEAM });

    // Stripe renews while no webhook reaches the service.
    const since = await h.emulator.control.now();
    await h.emulator.control.setWebhook(null);
    await advance(h, a.key, 32 * DAY);
    const gap = await summary(h, a.key);
    expect(gap.period).toEqual(first.period);
    expect(gap.allowance.remaining).toBe(0);
    expect((await spend(h, a.key, 1)).status).toBe(402);

    // Stripe says so: the events it kept retrying are delivered, the new period begins with its allowance.
    await h.emulator.control.setWebhook({ url: `${h.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
    const missed = await h.deps.stripe.events.list({ created: { gte: since }, limit: 100 });
    for (const event of missed.data.reverse()) await h.emulator.control.redeliver(event.id);
    await settled(h);
    const renewed = await summary(h, a.key);
    expect(renewed.period.start).toBe(first.period.end);
    expect(renewed.allowance).toEqual({ limit: TEAM, used: 0, remaining: TEAM });
  });

  it('past_due: the unpaid renewal grants nothing, the account keeps what was left; paying it opens the period', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const first = await summary(h, a.key);
    expect((await spend(h, a.key, 3_000_000)).status).toBe(200);
    const sub = await stripeSubscription(h, a.accountId);
    await useCard(h, sub, 'pm_card_chargeCustomerFail');
    await advance(h, a.key, 31 * DAY + 60);
    expect((await stripeSubscription(h, a.accountId)).status).toBe('past_due');

    const owed = await subscriptionOf(h, a.key);
    expect(owed).toMatchObject({ plan: 'team', status: 'past_due', pastDue: true });
    const invoice = await h.deps.stripe.invoices.retrieve(
      (await stripeSubscription(h, a.accountId)).latest_invoice as string,
    );
    expect(invoice.status).toBe('open');
    expect(owed.payUrl).toBe(invoice.hosted_invoice_url);
    const keeping = await summary(h, a.key);
    expect(keeping.period).toEqual(first.period);
    expect(keeping.allowance.remaining).toBe(2_000_000);
    expect((await spend(h, a.key, 2_000_000)).body).toMatchObject({ fromAllowance: 2_000_000 });
    expect((await spend(h, a.key, 1)).status).toBe(402);

    // The banner's link: Stripe's hosted page of the open invoice, paid there with a card that works.
    const declined = await portalForm(owed.payUrl!, { card_number: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(await subscriptionOf(h, a.key)).toMatchObject({ pastDue: true });
    const page = await portalForm(owed.payUrl!, { card_number: '4242424242424242' });
    expect(await page.text()).toContain('the invoice is paid');
    await settled(h);
    expect(await subscriptionOf(h, a.key)).toMatchObject({ status: 'active', pastDue: false, payUrl: null });
    const paid = await summary(h, a.key);
    expect(paid.period.start).toBe(first.period.end);
    expect(paid.allowance).toEqual({ limit: TEAM, used: 0, remaining: TEAM });
    expect(paid.period.start).toBe(iso((await stripeSubscription(h, a.accountId)).items.data[0]!.current_period_start));
  });
});
