import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { deliver } from './billing-helpers';
import { useHarness } from './harness';

// A correctly signed body can still be any JSON. What is not an event (no id, type or creation time) is not
// Stripe's to retry: a 400, never a 500 that Stripe would redeliver for days; nothing is recorded.
function deeplyNested(levels: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe.each(testDatabaseKinds())('signed webhook bodies that are not events, on %s', (kind) => {
  const harness = useHarness(kind);

  const bodies: [string, unknown][] = [
    ['null', null],
    ['an array', [1, 2]],
    ['an empty object', {}],
    ['no id', { type: 'payment_intent.succeeded', created: 1, data: { object: {} } }],
    ['a null id', { id: null, type: 'invoice.paid', created: 1, data: { object: {} } }],
    ['no created time', { id: 'evt_x1', type: 'invoice.paid', data: { object: {} } }],
    ['a created time that is text', { id: 'evt_x2', type: 'invoice.paid', created: 'soon', data: { object: {} } }],
    ['a type that is a number', { id: 'evt_x3', type: 7, created: 1, data: { object: {} } }],
    ['a 300-character id', { id: `evt_${'x'.repeat(300)}`, type: 'invoice.paid', created: 1, data: {} }],
    ['a created time past year 9999', { id: 'evt_x4', type: 'invoice.paid', created: 300_000_000_000, data: {} }],
    // Postgres refuses these in jsonb, where the event is kept.
    ['a NUL in its text', { id: 'evt_x5', type: 'invoice.paid', created: 1, data: { object: { id: 'in_\u0000' } } }],
    ['a lone surrogate in a key', { id: 'evt_x6', type: 'invoice.paid', created: 1, data: { '\ud800': 1 } }],
    ['nesting 3,000 levels deep', { id: 'evt_x7', type: 'invoice.paid', created: 1, data: deeplyNested(3_000) }],
  ];

  it.each(bodies)('answers 400 for %s and records nothing', async (_, body) => {
    const h = harness();
    const res = await deliver(h, JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('Not a Stripe event'), code: 'validation_failed' });
  });

  it.each(['__proto__', 'constructor', 'toString'])(
    'acknowledges an event of type %s, a member of every object, as one it ignores',
    async (type) => {
      const res = await deliver(harness(), JSON.stringify({ id: `evt_${type}`, type, created: 1, data: {} }));
      expect(res.status).toBe(200);
    },
  );

  it('still applies a well-formed event of a type it ignores with a 200', async () => {
    const res = await deliver(
      harness(),
      JSON.stringify({ id: 'evt_ok', type: 'charge.updated', created: 1, data: {} }),
    );
    expect(res.status).toBe(200);
  });
});
