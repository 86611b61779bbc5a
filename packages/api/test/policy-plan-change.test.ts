import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { settled, subscribe } from './billing-helpers';
import { type Harness, useHarness } from './harness';
import { advance, changePlan, DAY, stripeSubscription, subscriptionOf, summary } from './policy-helpers';

// Billing policy: a plan change clears a pending cancellation (as Stripe's portal does); a checkout for the plan,
// interval and seats the account already has answers 409. And the operators' test clock: it moves the service and
// the emulator together, and is not there when the service bills through real Stripe.

describe.each(testDatabaseKinds())('billing policy: plan changes and the test clock, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true, linkedClock: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  it('a plan change withdraws a pending cancellation', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    expect((await h.fetch('/api/billing/cancel', { method: 'POST', key: a.key })).status).toBe(200);
    await settled(h);
    expect(await subscriptionOf(h, a.key)).toMatchObject({ cancelAtPeriodEnd: true });

    await changePlan(h, a.key, { planId: 'business', seats: 5 });
    expect(await subscriptionOf(h, a.key)).toMatchObject({
      plan: 'business',
      seats: 5,
      cancelAtPeriodEnd: false,
      cancelAt: null,
    });
    expect(await stripeSubscription(h, a.accountId)).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
  });

  it('checkout for the plan, interval and seats the account has answers 409 { error }', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 3 });
    const same = await h.fetch('/api/billing/checkout', {
      method: 'POST',
      key: a.key,
      body: { planId: 'team', seats: 3 },
    });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({
      error: expect.stringMatching(/already has the team plan.*3 seats: nothing to change/),
    });
    // Seats left out keep the current count: the same request.
    const implied = await h.fetch('/api/billing/checkout', { method: 'POST', key: a.key, body: { planId: 'team' } });
    expect(implied.status).toBe(409);

    await h.fetch('/api/billing/cancel', { method: 'POST', key: a.key });
    const cancelling = await h.fetch('/api/billing/checkout', {
      method: 'POST',
      key: a.key,
      body: { planId: 'team', seats: 3 },
    });
    expect(cancelling.status).toBe(409);
    expect((cancelling.body as { error: string }).error).toMatch(/resume it to keep it/);
    // Another interval or seat count is a change.
    const yearly = await h.fetch('/api/billing/checkout', {
      method: 'POST',
      key: a.key,
      body: { planId: 'team', seats: 3, interval: 'year' },
    });
    expect(yearly.status).toBe(200);
  });

  it('the test clock moves the service and the emulator together: the renewal is applied when it answers', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const before = await subscriptionOf(h, a.key);
    const res = await h.fetch('/api/dev/clock/advance', { method: 'POST', key: a.key, body: { seconds: 31 * DAY } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const now = Date.parse((res.body as { now: string }).now);
    expect(Math.abs(now - (await h.emulator.control.now()) * 1000)).toBeLessThan(5_000);
    expect(Math.abs(now - h.deps.now().getTime())).toBeLessThan(5_000);
    // No waiting for webhooks here: the answer came once they were handled.
    const after = await subscriptionOf(h, a.key);
    expect(after.currentPeriodStart).toBe(before.currentPeriodEnd);
    expect((await summary(h, a.key)).period.start).toBe(before.currentPeriodEnd);
    expect(await advance(h, a.key, 1)).toBeTruthy();
  });

  it('refuses odd steps with 400 and callers without a key with 401', async () => {
    const a = await h.account();
    for (const seconds of [0, -5, 1.5, 'soon', 10 ** 12]) {
      const res = await h.fetch('/api/dev/clock/advance', { method: 'POST', key: a.key, body: { seconds } });
      expect(res.status, String(seconds)).toBe(400);
      expect(res.body).toMatchObject({ error: expect.stringContaining('seconds') });
    }
    expect((await h.fetch('/api/dev/clock/advance', { method: 'POST', body: { seconds: 1 } })).status).toBe(401);
  });
});

describe.each(testDatabaseKinds())('the test clock without the emulator clock, on %s', (kind) => {
  // The harness without linkedClock is what the service has with real Stripe: no test clock.
  const harness = useHarness(kind);

  it('answers 404 { error } naming why, and moves nothing', async () => {
    const h = harness();
    const a = await h.account();
    const emulatorBefore = await h.emulator.control.now();
    const res = await h.fetch('/api/dev/clock/advance', { method: 'POST', key: a.key, body: { seconds: 60 } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: expect.stringMatching(/only with the Stripe emulator/) });
    expect((await h.emulator.control.now()) - emulatorBefore).toBeLessThan(30);
  });
});
