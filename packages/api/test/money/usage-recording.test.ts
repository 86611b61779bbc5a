import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, useHarness } from '../harness';

// Recording usage events (src/services/usage/record-usage.ts): the daily totals behind the usage charts, and a
// batch that changes nothing.

interface Result {
  id: string;
  status: string;
}

describe.each(testDatabaseKinds())('recording usage events, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  const record = async (key: string, events: { id: string; metric: string; quantity: number }[]) => {
    const res = await h.fetch('/api/billing/usage/events', { method: 'POST', key, body: { events } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { results: Result[] }).results.map((r) => r.status);
  };
  const daily = async (key: string) => {
    const res = await h.fetch('/api/billing/usage/daily', { key });
    expect(res.status).toBe(200);
    return (res.body as { days: { day: string; sessions: number; events: number; enrichments: number }[] }).days;
  };
  const usage = async (key: string) =>
    ((await h.fetch('/api/billing/usage', { key })).body as { usage: Record<string, { used: number }> }).usage;

  it('adds each counted metric to its own daily total, and storage to none', async () => {
    const a = await h.account();
    expect(
      await record(a.key, [
        { id: 'ev1', metric: 'events', quantity: 2 },
        { id: 'se1', metric: 'sessions', quantity: 1 },
        { id: 'ev2', metric: 'events', quantity: 3 },
        { id: 'en1', metric: 'enrichments', quantity: 4 },
        { id: 'st1', metric: 'storage', quantity: 1_000 },
      ]),
    ).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    // Refused (over the free plan's 10 enrichments) and duplicate events add nothing.
    expect(
      await record(a.key, [
        { id: 'en2', metric: 'enrichments', quantity: 7 },
        { id: 'ev1', metric: 'events', quantity: 2 },
        { id: 'se2', metric: 'sessions', quantity: 1 },
      ]),
    ).toEqual(['refused', 'duplicate', 'accepted']);

    const days = await daily(a.key);
    expect(days.find((d) => d.day === '2026-01-15')).toEqual({
      day: '2026-01-15',
      sessions: 2,
      events: 5,
      enrichments: 4,
    });
    expect(days.filter((d) => d.day !== '2026-01-15').every((d) => d.sessions + d.events + d.enrichments === 0)).toBe(
      true,
    );
  });

  it('a batch of events already counted answers each as a duplicate and changes nothing', async () => {
    const a = await h.account();
    const batch = [
      { id: 'dup1', metric: 'events', quantity: 5 },
      { id: 'dup2', metric: 'sessions', quantity: 1 },
    ];
    expect(await record(a.key, batch)).toEqual(['accepted', 'accepted']);
    const before = { usage: await usage(a.key), days: await daily(a.key) };
    expect(await record(a.key, batch)).toEqual(['duplicate', 'duplicate']);
    expect({ usage: await usage(a.key), days: await daily(a.key) }).toEqual(before);
  });
});
