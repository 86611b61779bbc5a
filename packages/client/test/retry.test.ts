import { describe, expect, it } from 'vitest';
import { BillingApiError, createBillingClient, retryAfterSeconds } from '../src/index';

interface Sent {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: string;
}

/** A transport that answers from a script and records every request it is sent, with the waits in between. */
function scripted(answers: [number, Record<string, string>?, unknown?][]) {
  const sent: Sent[] = [];
  const waits: number[] = [];
  const fetch = async (request: Request) => {
    sent.push({
      method: request.method,
      path: new URL(request.url).pathname,
      idempotencyKey: request.headers.get('idempotency-key'),
      body: await request.text(),
    });
    const [status, headers = {}, body = { error: `status ${status}`, code: 'internal' }] = answers.shift() ?? [500];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  };
  const client = createBillingClient({
    baseUrl: 'http://billing.test',
    apiKey: 'contox_sk_test',
    fetch,
    retries: { sleep: async (ms) => void waits.push(ms) },
  });
  return { client, sent, waits };
}

const spendAnswer = { transactionId: 'txn_1', balance: 10, fromAllowance: 5, fromCredits: 0 };
const tooMany = (seconds: string): [number, Record<string, string>, unknown] => [
  429,
  { 'retry-after': seconds },
  { error: 'Rate limit exceeded', code: 'rate_limited' },
];

describe('the client', () => {
  it('waits out a 429 for Retry-After seconds and sends the same spend again, idempotency key included', async () => {
    const { client, sent, waits } = scripted([tooMany('7'), [200, {}, spendAnswer]]);
    expect(await client.spend({ amount: 5, description: 'Enrichment' })).toEqual(spendAnswer);
    expect(waits).toEqual([7000]);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(JSON.parse(sent[0]!.body).idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives a purchase an Idempotency-Key header that every retry keeps; a caller-given key is used as is', async () => {
    const purchased = { transactionId: 'txn_2', balance: 1_000_000, purchased: 1_000_000 };
    const { client, sent } = scripted([
      [503, { 'retry-after': '2' }, { error: 'Stripe is unavailable, try again', code: 'stripe_unavailable' }],
      [200, {}, purchased],
      [200, {}, purchased],
    ]);
    expect(await client.purchase('credits_1m')).toEqual(purchased);
    expect(sent[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]!.idempotencyKey).toBe(sent[0]!.idempotencyKey);
    await client.purchase('credits_1m', { idempotencyKey: 'order-42' });
    expect(sent[2]!.idempotencyKey).toBe('order-42');
  });

  it('backs off 1, 2, 4 s without Retry-After, then answers the last refusal as a typed error', async () => {
    const unavailable: [number, Record<string, string>, unknown] = [
      503,
      {},
      { error: 'Stripe is unavailable, try again', code: 'stripe_unavailable' },
    ];
    const { client, sent, waits } = scripted([unavailable, unavailable, unavailable, unavailable]);
    const err = await client.purchase('credits_1m').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BillingApiError);
    expect(err).toMatchObject({ status: 503, code: 'stripe_unavailable', message: 'Stripe is unavailable, try again' });
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(new Set(sent.map((s) => s.idempotencyKey)).size).toBe(1);
  });

  it('does not retry other failures, nor a wait longer than it is willing to', async () => {
    const { client, sent } = scripted([
      [402, {}, { error: 'Insufficient credits', code: 'insufficient_credits' }],
      tooMany('3600'),
    ]);
    await expect(client.spend({ amount: 5, description: 'x' })).rejects.toMatchObject({
      status: 402,
      code: 'insufficient_credits',
    });
    await expect(client.spend({ amount: 5, description: 'x' })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(sent).toHaveLength(2);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('12')).toBe(12);
    expect(retryAfterSeconds(new Date(60_000).toUTCString(), 30_000)).toBe(30);
    expect(retryAfterSeconds('soon')).toBeNull();
    expect(retryAfterSeconds(null)).toBeNull();
  });
});
