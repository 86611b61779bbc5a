import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePlanView, sessionIdOf, settled, subscribe } from './billing-helpers';
import { type Harness, useHarness } from './harness';

const DAY = 86_400;

interface View {
  plan: string;
  status: string;
  seats: number;
  interval: string | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: string | null;
}

describe.each(testDatabaseKinds())('subscription lifecycle through Stripe on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  const view = async (key: string): Promise<View> => {
    const res = await h.fetch('/api/billing/subscription', { key });
    expect(res.status).toBe(200);
    return res.body as View;
  };
  const accountPlan = async (accountId: string) =>
    (await h.db.db.select().from(schema.accounts).where(eq(schema.accounts.id, accountId)))[0]?.plan;
  const stripeSubscriptionOf = async (accountId: string) => {
    const [row] = await h.db.db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.accountId, accountId));
    return h.deps.stripe.subscriptions.retrieve(row!.stripeSubscriptionId);
  };
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

  it('checkout, payment on Stripe and the webhooks put the account on team × 3, active', async () => {
    const { key, accountId } = await h.account();
    const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team', seats: 3 } });
    const { redirect } = await h.emulator.control.completeCheckout(
      sessionIdOf((res.body as { url: string }).url),
      '4242424242424242',
    );
    expect(redirect).toBe('http://localhost:3000/billing/plan?checkout=success');
    await settled(h);

    const sub = await stripeSubscriptionOf(accountId);
    const item = sub.items.data[0]!;
    expect(await view(key)).toEqual({
      plan: 'team',
      status: 'active',
      seats: 3,
      interval: 'month',
      currentPeriodStart: iso(item.current_period_start),
      currentPeriodEnd: iso(item.current_period_end),
      cancelAtPeriodEnd: false,
      cancelAt: null,
      pastDue: false,
      payUrl: null,
    });
    expect(await accountPlan(accountId)).toBe('team');
    expect(await h.trpc(key).subscription.get.query({})).toEqual(await view(key));
  });

  it('a declined card at checkout leaves the account on the free plan', async () => {
    const { key, accountId } = await h.account();
    const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'team', seats: 2 } });
    await expect(
      h.emulator.control.completeCheckout(sessionIdOf((res.body as { url: string }).url), '4000000000000002'),
    ).rejects.toThrow(/declined/);
    await settled(h);
    expect((await view(key)).plan).toBe('free');
    expect(await accountPlan(accountId)).toBe('free');
  });

  it('with a live subscription, checkout opens the portal on the change instead of a second subscription', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'team', seats: 2 });
    const res = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'business', seats: 6 } });
    expect(res.status).toBe(200);
    expect((res.body as { url: string }).url).toMatch(/\/p\/session\/bps_/);
    const sub = await stripeSubscriptionOf(accountId);
    const sessions = await h.deps.stripe.checkout.sessions.list({ customer: sub.customer as string });
    expect(sessions.data).toHaveLength(1);
    const subs = await h.deps.stripe.subscriptions.list({ customer: sub.customer as string });
    expect(subs.data).toHaveLength(1);

    // Confirming on the portal page changes the one subscription; the webhook brings the new plan here.
    const confirm = await fetch((res.body as { url: string }).url, {
      method: 'POST',
      body: new URLSearchParams({ action: 'confirm_update' }),
      redirect: 'manual',
    });
    expect(confirm.headers.get('location')).toBe('http://localhost:3000/billing/plan?checkout=success');
    await settled(h);
    expect(await view(key)).toMatchObject({ plan: 'business', seats: 6, status: 'active' });
    expect(await accountPlan(accountId)).toBe('business');
  });

  it('cancel answers { status, cancelAt = period end } and the same again; the plan stays until then; resume undoes it', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'team', seats: 3 });
    const before = await view(key);

    const first = await h.fetch('/api/billing/cancel', { method: 'POST', key });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'cancelled', cancelAt: before.currentPeriodEnd });
    const again = await h.fetch('/api/billing/cancel', { method: 'POST', key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // The answer to our own call updated the row; the webhook that follows must agree with it.
    expect(await view(key)).toEqual({ ...before, cancelAtPeriodEnd: true, cancelAt: before.currentPeriodEnd });
    await settled(h);
    expect(await view(key)).toEqual({ ...before, cancelAtPeriodEnd: true, cancelAt: before.currentPeriodEnd });
    expect((await stripeSubscriptionOf(accountId)).cancel_at_period_end).toBe(true);
    expect(await accountPlan(accountId)).toBe('team');

    const resumed = await h.fetch('/api/billing/resume', { method: 'POST', key });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual({ status: 'active' });
    await settled(h);
    expect(await view(key)).toEqual(before);
    expect((await stripeSubscriptionOf(accountId)).cancel_at_period_end).toBe(false);

    const nothing = await h.fetch('/api/billing/resume', { method: 'POST', key });
    expect(nothing.status).toBe(409);
    expect(nothing.body).toEqual({ error: expect.stringMatching(/nothing to resume/), code: 'conflict' });
    expect((await h.trpc(key).subscription.cancel.mutate({})).status).toBe('cancelled');
    expect(await h.trpc(key).subscription.resume.mutate({})).toEqual({ status: 'active' });
  });

  it('a cancelling subscription ends at the period end: deleted by Stripe, the account is back on free', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'team', seats: 3 });
    await h.fetch('/api/billing/cancel', { method: 'POST', key });
    await settled(h);
    await h.emulator.control.advanceClock(32 * DAY);
    await settled(h);

    expect((await stripeSubscriptionOf(accountId)).status).toBe('canceled');
    expect(await view(key)).toEqual(freePlanView('canceled'));
    expect(await accountPlan(accountId)).toBe('free');
    const cancel = await h.fetch('/api/billing/cancel', { method: 'POST', key });
    expect(cancel.status).toBe(409);
    // Back on free, the account may subscribe again through a new checkout.
    const again = await h.fetch('/api/billing/checkout', { method: 'POST', key, body: { planId: 'personal' } });
    expect((again.body as { url: string }).url).toMatch(/\/c\/pay\//);
  });

  it('a renewal moves the subscription to the next period', async () => {
    const { key, accountId } = await h.account();
    await subscribe(h, key, { planId: 'business', seats: 5 });
    const before = await view(key);
    await h.emulator.control.advanceClock(32 * DAY);
    await settled(h);

    const item = (await stripeSubscriptionOf(accountId)).items.data[0]!;
    const after = await view(key);
    expect(after).toEqual({
      ...before,
      currentPeriodStart: iso(item.current_period_start),
      currentPeriodEnd: iso(item.current_period_end),
    });
    expect(Date.parse(after.currentPeriodStart!)).toBeGreaterThanOrEqual(Date.parse(before.currentPeriodEnd!));
    expect(await accountPlan(accountId)).toBe('business');
  });

  it('another account never sees or changes the subscription', async () => {
    const a = await h.account();
    const b = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 4 });
    const aView = await view(a.key);

    expect((await view(b.key)).status).toBe('none');
    expect((await h.fetch('/api/billing/cancel', { method: 'POST', key: b.key })).status).toBe(409);
    expect((await h.fetch('/api/billing/resume', { method: 'POST', key: b.key })).status).toBe(409);
    const bCheckout = await h.fetch('/api/billing/checkout', {
      method: 'POST',
      key: b.key,
      body: { planId: 'team', seats: 2 },
    });
    expect((bCheckout.body as { url: string }).url).toMatch(/\/c\/pay\//);
    expect(await view(a.key)).toEqual(aView);
    expect(await accountPlan(b.accountId)).toBe('free');
  });
});
