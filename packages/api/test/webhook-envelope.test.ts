import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { deliver } from './billing-helpers';
import { useHarness } from './harness';

// A correctly signed body can still be any JSON. What is not an event (no id, type or creation time) is not
// Stripe's to retry: a 400, never a 500 that Stripe would redeliver for days; nothing is recorded.
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
  ];

  it.each(bodies)('answers 400 for %s and records nothing', async (_, body) => {
    const h = harness();
    const res = await deliver(h, JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('Not a Stripe event') });
  });

  it('still applies a well-formed event of a type it ignores with a 200', async () => {
    const res = await deliver(
      harness(),
      JSON.stringify({ id: 'evt_ok', type: 'charge.updated', created: 1, data: {} }),
    );
    expect(res.status).toBe(200);
  });
});
