import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  recordUsageEventsAnswer,
  recordUsageEventsInput,
  recordUsageEventsParser,
} from '../src/routers/usage/record-usage-events.types';
import { type Harness, startHarness } from './harness';

// The usage ingest's shortcuts (src/services/usage/record-usage.ts, src/store/usage-events.ts,
// src/routers/usage/record-usage-events.types.ts) must answer exactly as the plain way: a batch that cannot pass
// a limit is inserted by the statement that finds its duplicates, one that may is decided first; the input is
// checked in one loop when plainly valid, by zod otherwise.

interface Event {
  id: string;
  metric: string;
  quantity: number;
}
interface Answer {
  results: { id: string; status: string; used?: number }[];
  refused: number;
}

const event = (id: string, metric = 'events', quantity = 1): Event => ({ id, metric, quantity });

describe.each(testDatabaseKinds())('usage ingest on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h.close());

  const record = async (key: string, events: Event[]) => {
    const res = await h.fetch('/api/billing/usage/events', { method: 'POST', key, body: { events } });
    return { status: res.status, body: res.body as Answer };
  };
  const used = async (key: string) =>
    ((await h.fetch('/api/billing/usage', { key })).body as { usage: Record<string, { used: number }> }).usage;

  it('counts ids that need escaping in an array literal once, and knows them again', async () => {
    const a = await h.account();
    const ids = ['q"uote', 'back\\slash', 'com,ma', '{brace}', ' spaced ', 'NULL', 'ünï €', '😀'];
    const first = await record(
      a.key,
      ids.map((id) => event(id)),
    );
    expect(first.body.results.map((r) => r.status)).toEqual(ids.map(() => 'accepted'));
    const again = await record(
      a.key,
      [...ids, 'new'].map((id) => event(id)),
    );
    expect(again.body.results.map((r) => [r.id, r.status])).toEqual([
      ...ids.map((id) => [id, 'duplicate']),
      ['new', 'accepted'],
    ]);
    expect((await used(a.key)).events!.used).toBe(ids.length + 1);
  });

  // Far from the limit (inserted with the duplicate check) and at it (decided first): the same answers.
  it.each([
    ['far from the limit', 0],
    ['at the limit', 993],
  ])('answers duplicates within a call and from before alike, %s', async (_name, before) => {
    const a = await h.account();
    if (before > 0) await record(a.key, [event('filler', 'events', before)]);
    await record(a.key, [event('old')]);
    const res = await record(a.key, [
      event('x'),
      event('x', 'events', 5),
      event('old'),
      event('y', 'sessions'),
      event('x'),
      event('s', 'storage', -10),
      event('y', 'sessions'),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual([
      'accepted',
      'duplicate',
      'duplicate',
      'accepted',
      'duplicate',
      'accepted',
      'duplicate',
    ]);
    expect(res.body.results[0]!.used).toBe(before + 2);
    const usage = await used(a.key);
    expect([usage.events!.used, usage.sessions!.used, usage.storage!.used]).toEqual([before + 2, 1, 0]);
  });

  it('refuses past the limit without remembering, even for an id repeated after its refusal', async () => {
    const a = await h.account();
    await record(a.key, [event('filler', 'events', 998)]);
    const res = await record(a.key, [event('big', 'events', 5), event('big', 'events', 2), event('more')]);
    expect(res.body.results.map((r) => r.status)).toEqual(['refused', 'accepted', 'refused']);
    expect((await used(a.key)).events!.used).toBe(1000);
    const retry = await record(a.key, [event('more'), event('big')]);
    expect(retry.body.results.map((r) => r.status)).toEqual(['refused', 'duplicate']);
  });

  // Every batch carries both metrics, so their counter locks put the batches one after another.
  it('counts overlapping batches racing on one account once per id', async () => {
    const a = await h.account();
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 20 }, (_, i) =>
        i % 2 ? event(`r${b * 10 + i}`, 'events', 3) : event(`r${b * 10 + i}`, 'storage', 1000),
      ),
    );
    const answers = await Promise.all(batches.map((batch) => record(a.key, batch)));
    expect(answers.map((r) => r.status)).toEqual(batches.map(() => 200));
    const accepted = answers.flatMap((r) => r.body.results.filter((x) => x.status === 'accepted').map((x) => x.id));
    const byId = new Map(batches.flat().map((e) => [e.id, e]));
    expect(accepted.sort()).toEqual([...byId.keys()].sort());
    const total = (metric: string) =>
      [...byId.values()].filter((e) => e.metric === metric).reduce((s, e) => s + e.quantity, 0);
    const usage = await used(a.key);
    expect([usage.events!.used, usage.storage!.used]).toEqual([total('events'), total('storage')]);
  });
});

describe('the usage input check', () => {
  const ok = (n: number, f: (i: number) => Event = (i) => event(`e${i}`)) => ({
    events: Array.from({ length: n }, (_, i) => f(i)),
  });
  const cases: [string, unknown][] = [
    ['one event', ok(1)],
    ['1,000 events', ok(1000)],
    ['1,001 events', ok(1001)],
    ['no events', { events: [] }],
    ['no body', null],
    ['an array', [event('a')]],
    ['events not an array', { events: event('a') }],
    ['an unknown key beside events', { ...ok(1), extra: 1 }],
    ['an unknown key in an event', { events: [{ ...event('a'), note: 'x' }] }],
    ['a missing quantity', { events: [{ id: 'a', metric: 'events' }] }],
    ['an empty id', ok(1, () => event(''))],
    ['an id of 200', ok(1, () => event('x'.repeat(200)))],
    ['an id of 201', ok(1, () => event('x'.repeat(201)))],
    ['a NUL in an id', ok(1, () => event('a\u0000b'))],
    ['a tab in an id', ok(1, () => event('a\tb'))],
    ['a C1 control in an id', ok(1, () => event('a\u0085b'))],
    ['a lone surrogate in an id', ok(1, () => event('a\ud800b'))],
    ['a surrogate pair in an id', ok(1, () => event('a😀b'))],
    ['an id not a string', ok(1, () => ({ id: 5, metric: 'events', quantity: 1 }) as unknown as Event)],
    ['an unknown metric', ok(1, () => event('a', 'tokens'))],
    ['zero events', ok(1, () => event('a', 'events', 0))],
    ['negative sessions', ok(1, () => event('a', 'sessions', -1))],
    ['zero storage', ok(1, () => event('a', 'storage', 0))],
    ['minus zero storage', ok(1, () => event('a', 'storage', -0))],
    ['the largest storage shrink', ok(1, () => event('a', 'storage', -1e12))],
    ['past the largest storage shrink', ok(1, () => event('a', 'storage', -1e12 - 1))],
    ['the largest quantity', ok(1, () => event('a', 'enrichments', 1e12))],
    ['past the largest quantity', ok(1, () => event('a', 'enrichments', 1e12 + 1))],
    ['a fractional quantity', ok(1, () => event('a', 'events', 1.5))],
    ['a quantity as text', ok(1, () => ({ id: 'a', metric: 'events', quantity: '1' }) as unknown as Event)],
    ['an event with a prototype', { events: [Object.assign(Object.create({ inherited: 1 }), event('a'))] }],
    ['an event without a prototype', { events: [Object.assign(Object.create(null), event('a'))] }],
    ['a valid event after an invalid one', { events: [event('a', 'events', 0), event('b')] }],
  ];

  it.each(cases)('decides %s exactly as the schema does', async (_name, input) => {
    const expected = recordUsageEventsInput.safeParse(input);
    const actual = await recordUsageEventsParser.parseAsync(input).then(
      (data) => ({ success: true, data }),
      (error: { issues: unknown }) => ({ success: false, issues: error.issues }),
    );
    expect(actual).toEqual(
      expected.success ? { success: true, data: expected.data } : { success: false, issues: expected.error.issues },
    );
  });

  it('passes the answer on unchanged (the service builds it; the contract check judges every answer)', async () => {
    const answer = { results: [{ id: 'a', status: 'accepted', used: 1, limit: null }], refused: 0 };
    expect(await recordUsageEventsAnswer.parseAsync(answer)).toBe(answer);
  });
});
