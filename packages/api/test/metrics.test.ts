import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../src/metrics';
import { subscribe } from './billing-helpers';
import { type Harness, startHarness } from './harness';

/** The value of one series, by its labels (all of them); 0 when it has not been recorded yet. */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = values.filter(
    (v) =>
      (v as { metricName?: string }).metricName === undefined &&
      Object.entries(labels).every(([k, l]) => String((v.labels as Record<string, unknown>)[k]) === l),
  );
  return found.reduce((sum, v) => sum + v.value, 0);
}

/** How many observations a histogram holds (its `_count`). */
async function observations(name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.find((v) => (v as { metricName?: string }).metricName === `${name}_count`)?.value ?? 0;
}

/** The process's metrics move with what the service does: webhooks, Stripe calls and failures, rate limits. */
describe.each(testDatabaseKinds().slice(0, 1))('metrics on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { rateLimitPerMinute: 30 });
  });
  afterAll(() => h.close());

  it('counts webhook events by type and outcome, and Stripe requests by endpoint', async () => {
    const completed = { type: 'checkout.session.completed', outcome: 'applied' };
    const before = await value('contox_webhook_events_total', completed);
    const sessions = await value('contox_stripe_requests_total', { method: 'POST', path: '/v1/checkout/sessions' });
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    expect(await value('contox_webhook_events_total', completed)).toBe(before + 1);
    expect(await value('contox_stripe_requests_total', { method: 'POST', path: '/v1/checkout/sessions' })).toBe(
      sessions + 1,
    );
    // A delivery that is not Stripe's is counted as rejected.
    const rejected = await value('contox_webhook_events_total', { outcome: 'rejected' });
    await h.fetch('/api/billing/webhook', { method: 'POST', body: '{}', headers: { 'stripe-signature': 't=1,v1=00' } });
    expect(await value('contox_webhook_events_total', { outcome: 'rejected' })).toBe(rejected + 1);
  });

  it('counts Stripe failures by type and rate-limit refusals', async () => {
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'team', seats: 2 });
    const errors = await value('contox_stripe_errors_total', { type: 'StripeAPIError' });
    await h.emulator.control.failNext(3, '500', 0, '/v1/customers');
    const res = await h.fetch('/api/billing/credits/purchase', {
      method: 'POST',
      key: a.key,
      body: { packId: 'credits_1m' },
    });
    expect(res.status).toBe(503);
    expect(await value('contox_stripe_errors_total', { type: 'StripeAPIError' })).toBe(errors + 1);

    const refusals = await value('contox_rate_limit_refusals_total', { reason: 'client' });
    const b = await h.account();
    // Until the limit refuses twice (a minute boundary on the way only delays it).
    const statuses: number[] = [];
    while (statuses.filter((s) => s === 429).length < 2 && statuses.length < 200) {
      statuses.push((await h.fetch('/api/billing/credits', { key: b.key })).status);
    }
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBe(2);
    expect(await value('contox_rate_limit_refusals_total', { reason: 'client' })).toBe(refusals + refused);
  });

  it("times each request's wait for its rate-limit count, and each spend's wait in the group-commit queue", async () => {
    const a = await h.account();
    const [queued, limited, batches] = await Promise.all([
      observations('contox_spend_queue_wait_seconds'),
      observations('contox_rate_limit_wait_seconds'),
      observations('contox_spend_batch_duration_seconds'),
    ]);
    const spends = [1, 2, 3].map((n) =>
      h.fetch('/api/billing/credits/spend', {
        method: 'POST',
        key: a.key,
        body: { amount: 1, description: 'metrics', idempotencyKey: `wait-${n}` },
      }),
    );
    // Refused or spent, every spend went through the queue once.
    for (const res of await Promise.all(spends)) expect([200, 402]).toContain(res.status);
    expect(await observations('contox_spend_queue_wait_seconds')).toBe(queued + 3);
    expect(await observations('contox_rate_limit_wait_seconds')).toBe(limited + 3);
    expect(await observations('contox_spend_batch_duration_seconds')).toBeGreaterThan(batches);
  });
});
