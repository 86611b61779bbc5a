import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { subscribe } from './billing-helpers';
import { useHarness } from './harness';

const HOUR = 3_600_000;

// The spend batch finds each account's period with its own lock statement (not the read path's query): a
// subscribed account must spend its allowance in the subscription's period, not in one anchored on its creation.
describe.each(testDatabaseKinds())('spending on a subscribed account on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });

  it('takes the allowance of the subscription period, the one the summary and the meters show', async () => {
    const h = harness();
    const a = await h.account();
    await subscribe(h, a.key, { planId: 'personal' });
    const sub = await h.fetch('/api/billing/subscription', { key: a.key });
    const start = new Date((sub.body as { currentPeriodStart: string }).currentPeriodStart);
    // Inside the subscription's first period, and on a different day of the month than the account's creation.
    h.clock.now = new Date(start.getTime() + HOUR);
    expect(start.getUTCDate()).not.toBe(new Date('2026-01-15T10:00:00Z').getUTCDate());

    const spent = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key: a.key,
      body: { amount: 1_234, description: 'chat', idempotencyKey: 'period-1' },
    });
    expect(spent.status, JSON.stringify(spent.body)).toBe(200);
    expect(spent.body).toMatchObject({ fromAllowance: 1_234, fromCredits: 0 });

    const summary = await h.fetch('/api/billing/credits/summary', { key: a.key });
    expect(summary.body).toMatchObject({
      period: { start: (sub.body as { currentPeriodStart: string }).currentPeriodStart },
      allowance: { limit: 1_000_000, used: 1_234, remaining: 1_000_000 - 1_234 },
    });
  });
});
