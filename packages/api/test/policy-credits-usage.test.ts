import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness';

// Billing policy: a usage call whose every event is refused answers 402 with the per-event results (nothing was
// recorded); a mixed call answers 200 with the per-event results and a `refused` count.
describe.each(testDatabaseKinds())('policy: refused usage calls on %s', (kind) => {
  const harness = useHarness(kind);

  it('answers 402 plan_limit_reached with the results when every event is refused, 200 with a count when mixed', async () => {
    const h = harness();
    const a = await h.account();
    const record = (events: unknown) =>
      h.fetch('/api/billing/usage/events', { method: 'POST', key: a.key, body: { events } });
    const usage = async () =>
      (
        (await h.fetch('/api/billing/usage', { key: a.key })).body as {
          usage: { enrichments: { used: number; limit: number } };
        }
      ).usage.enrichments;
    const { limit } = await usage();

    const fits = await record([{ id: 'fill', metric: 'enrichments', quantity: limit }]);
    expect(fits).toMatchObject({ status: 200, body: { refused: 0 } });

    const refused = await record([
      { id: 'over-1', metric: 'enrichments', quantity: 1 },
      { id: 'over-2', metric: 'enrichments', quantity: 3 },
    ]);
    expect(refused.status).toBe(402);
    expect(refused.body).toEqual({
      error: expect.stringMatching(
        /^All 2 events were refused \(Plan limit reached for enrichments.*nothing was recorded$/,
      ),
      code: 'plan_limit_reached',
      refused: 2,
      results: [
        { id: 'over-1', status: 'refused', used: limit, limit, error: expect.stringContaining('enrichments') },
        { id: 'over-2', status: 'refused', used: limit, limit, error: expect.stringContaining('enrichments') },
      ],
    });
    // Over tRPC the same refusal carries the results in the error's details.
    const viaTrpc = await h
      .trpc(a.key)
      .usage.record.mutate({ events: [{ id: 'over-3', metric: 'enrichments', quantity: 1 }] })
      .catch((e: unknown) => e);
    expect(viaTrpc).toMatchObject({
      data: { httpStatus: 402, errorCode: 'plan_limit_reached', details: { answer: { refused: 1 } } },
    });

    const mixed = await record([
      { id: 'over-1', metric: 'enrichments', quantity: 1 },
      { id: 'fill', metric: 'enrichments', quantity: limit },
      { id: 'sess', metric: 'sessions', quantity: 1 },
    ]);
    expect(mixed.status).toBe(200);
    expect(mixed.body).toEqual({
      results: [
        { id: 'over-1', status: 'refused', used: limit, limit, error: expect.any(String) },
        { id: 'fill', status: 'duplicate' },
        { id: 'sess', status: 'accepted', used: 1, limit: expect.any(Number) },
      ],
      refused: 1,
    });
    // Duplicates alone are not refusals: 200.
    expect(await record([{ id: 'fill', metric: 'enrichments', quantity: limit }])).toMatchObject({
      status: 200,
      body: { refused: 0 },
    });
    expect((await usage()).used).toBe(limit);
  });
});
