import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

describe.each(testDatabaseKinds())('usage on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  const record = (key: string, events: unknown) =>
    h.fetch('/api/billing/usage/events', { method: 'POST', key, body: { events } });

  it('GET /api/billing/usage returns the documented shape with the plan limits and period', async () => {
    const a = await h.account();
    const res = await h.fetch('/api/billing/usage', { key: a.key });
    expect(res.status).toBe(200);
    const plans = (await h.fetch('/api/billing/plans')).body as {
      plans: { id: string; limits: Record<string, number | null> }[];
    };
    const free = plans.plans.find((p) => p.id === 'free')!;
    expect(res.body).toEqual({
      plan: 'free',
      period: { start: '2026-01-15T10:00:00Z', end: '2026-02-15T10:00:00Z' },
      usage: {
        sessions: { used: 0, limit: free.limits.sessions },
        events: { used: 0, limit: free.limits.events },
        enrichments: { used: 0, limit: free.limits.enrichments },
        storage: { used: 0, limit: free.limits.storage },
      },
    });
  });

  it('counts each event id once, forever, also within one batch', async () => {
    const a = await h.account();
    const first = await record(a.key, [
      { id: 'e1', metric: 'events', quantity: 5 },
      { id: 'e1', metric: 'events', quantity: 5 },
      { id: 's1', metric: 'storage', quantity: 1000 },
    ]);
    expect(first.status).toBe(200);
    expect((first.body as { results: { status: string }[] }).results.map((r) => r.status)).toEqual([
      'accepted',
      'duplicate',
      'accepted',
    ]);
    const second = await record(a.key, [
      { id: 'e1', metric: 'events', quantity: 5 },
      { id: 's2', metric: 'storage', quantity: -400 },
    ]);
    expect((second.body as { results: { status: string }[] }).results.map((r) => r.status)).toEqual([
      'duplicate',
      'accepted',
    ]);
    const usage = (await h.fetch('/api/billing/usage', { key: a.key })).body as {
      usage: Record<string, { used: number }>;
    };
    expect(usage.usage.events!.used).toBe(5);
    expect(usage.usage.storage!.used).toBe(600);
  });

  it('refuses events past the plan limit with used and limit, and keeps counting the ones that fit', async () => {
    const a = await h.account();
    const limit = (
      (await h.fetch('/api/billing/usage', { key: a.key })).body as { usage: { sessions: { limit: number } } }
    ).usage.sessions.limit;
    const res = await record(a.key, [
      { id: 'big', metric: 'sessions', quantity: limit - 1 },
      { id: 'over', metric: 'sessions', quantity: 2 },
      { id: 'fits', metric: 'sessions', quantity: 1 },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: [
        { id: 'big', status: 'accepted', used: limit - 1, limit },
        { id: 'over', status: 'refused', used: limit - 1, limit, error: expect.stringContaining('limit') },
        { id: 'fits', status: 'accepted', used: limit, limit },
      ],
      refused: 1,
    });
    // A refused id is not remembered: it may be sent again later (alone and refused, the call answers 402).
    const retry = await record(a.key, [{ id: 'over', metric: 'sessions', quantity: 2 }]);
    expect(retry.status).toBe(402);
    expect((retry.body as { results: { status: string }[] }).results[0]!.status).toBe('refused');
  });

  it('never counts the same ids twice when batches race', async () => {
    const a = await h.account();
    const batch = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, metric: 'events', quantity: 1 }));
    const all = await Promise.all(Array.from({ length: 5 }, () => record(a.key, batch)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    const usage = (await h.fetch('/api/billing/usage', { key: a.key })).body as { usage: { events: { used: number } } };
    expect(usage.usage.events.used).toBe(20);
  });

  it.each([
    ['an empty list', []],
    ['an unknown metric', [{ id: 'x', metric: 'tokens', quantity: 1 }]],
    ['a fractional quantity', [{ id: 'x', metric: 'events', quantity: 0.5 }]],
    ['1,001 events', Array.from({ length: 1001 }, (_, i) => ({ id: `x${i}`, metric: 'events', quantity: 1 }))],
  ])('rejects %s with 400', async (_name, events) => {
    const a = await h.account();
    const res = await record(a.key, events);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.any(String), code: 'validation_failed' });
  });

  it('reports daily usage over the whole period', async () => {
    const a = await h.account();
    await record(a.key, [{ id: 'd1', metric: 'enrichments', quantity: 3 }]);
    const daily = (await h.trpc(a.key).usage.daily.query({})) as { days: { day: string; enrichments: number }[] };
    expect(daily.days).toHaveLength(31);
    expect(daily.days.find((d) => d.day === '2026-01-15')?.enrichments).toBe(3);
  });
});
