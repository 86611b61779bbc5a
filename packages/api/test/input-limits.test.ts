import {
  MAX_CURSOR_DIGITS,
  MAX_DESCRIPTION_LENGTH,
  MAX_EVENT_ID_LENGTH,
  MAX_HISTORY_DAYS,
  MAX_IDEMPOTENCY_HEADER_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_PAGE_SIZE,
  MAX_RECHARGE_THRESHOLD,
  MAX_SPEND_AMOUNT,
  MAX_SPENDING_LIMIT,
  MAX_USAGE_QUANTITY,
} from '@contox/core';
import { schema } from '@contox/db';
import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { restRoutes } from '../src/http/rest-routes';
import { chargesOf, paidAccount } from './fire/accounts';
import { accountDigest } from './fire/digest';
import { useFireHarness } from './fire/fire-suite';
import type { Harness } from './harness';
import { HOSTILE, type Hostile, SPEND, spendBody } from './input-limits-cases';
import { expectLedgerConsistent, grantCredits } from './ledger';

const procedureOf = (op: string) => restRoutes().get(op)!.procedure;

/** Sends `c` over REST, or over tRPC as the dashboard does; returns the status and the error message. */
async function send(h: Harness, key: string, c: Hostile, via: 'rest' | 'trpc') {
  const [method, path] = c.op.split(' ') as [string, string];
  const get = method === 'GET';
  const headers = {
    authorization: `Bearer ${key}`,
    ...(get ? {} : { 'content-type': 'application/json' }),
    ...c.headers,
  };
  const url =
    via === 'rest'
      ? `${h.url}${path}${get ? `?${new URLSearchParams(c.input as Record<string, string>)}` : ''}`
      : `${h.url}/trpc/${procedureOf(c.op)}${get ? `?input=${encodeURIComponent(JSON.stringify(c.input))}` : ''}`;
  const res = await fetch(url, {
    method: via === 'trpc' && !get ? 'POST' : method,
    headers,
    ...(get ? {} : { body: JSON.stringify(c.input) }),
  });
  const body = (await res.json()) as { error?: string | { message?: string } };
  return { status: res.status, body, error: typeof body.error === 'string' ? body.error : body.error?.message };
}

describe.each(testDatabaseKinds())('hard input limits, checked before any I/O, on %s', (kind) => {
  const harness = useFireHarness(kind);
  let h: Harness;
  let innocent: Awaited<ReturnType<typeof paidAccount>>;
  let hostile: Awaited<ReturnType<typeof paidAccount>>;
  let n = 0;

  beforeAll(async () => {
    h = harness();
    [innocent, hostile] = [await paidAccount(h), await paidAccount(h)];
    // The innocent account's allowance used up and credits granted: every spend below moves its balance.
    const first = await spendAs(innocent.key, 1_000_000);
    expect(first.body).toMatchObject({ fromAllowance: 1_000_000, fromCredits: 0 });
    await grantCredits(h.db.db, innocent.accountId, 100_000_000);
  });

  const spendAs = (key: string, amount: number) =>
    h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: 'Enrichment - session sess_1', idempotencyKey: `spend-${n++}` },
    });

  /**
   * Runs `attack` while the innocent account spends 1,000 tokens ten times: each spend answers 200, and the
   * balances they answer are exactly the ten steps down from where the balance stood.
   */
  async function besideInnocentSpends<T>(attack: () => Promise<T>): Promise<T> {
    const start = ((await h.fetch('/api/billing/credits', { key: innocent.key })).body as { balance: number }).balance;
    const [result, ...spends] = await Promise.all([
      attack(),
      ...Array.from({ length: 10 }, () => spendAs(innocent.key, 1000)),
    ]);
    for (const s of spends) {
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      expect(s.body).toMatchObject({ fromAllowance: 0, fromCredits: 1000 });
    }
    const balances = spends.map((s) => (s.body as { balance: number }).balance).sort((a, b) => b - a);
    expect(balances).toEqual(Array.from({ length: 10 }, (_, i) => start - 1000 * (i + 1)));
    expect(await expectLedgerConsistent(h.db.db, innocent.accountId)).toBe(start - 10_000);
    return result;
  }

  it.each(HOSTILE)(
    '$op, $why: 400 naming $field over REST and tRPC, nothing written',
    { timeout: scaled(30_000) },
    async (c) => {
      const before = await accountDigest(h.db.db, hostile.accountId);
      const answers = await besideInnocentSpends(() =>
        Promise.all([send(h, hostile.key, c, 'rest'), send(h, hostile.key, c, 'trpc')]),
      );
      for (const [via, a] of [
        ['REST', answers[0]],
        ['tRPC', answers[1]],
      ] as const) {
        expect(a.status, `${via}: ${JSON.stringify(a.body).slice(0, 300)}`).toBe(400);
        expect(a.error, via).toMatch(/^Invalid request: /);
        expect(a.error, via).toContain(`${c.field}: `);
      }
      expect(answers[0].body).toEqual({ error: answers[0].error, code: 'validation_failed' });
      expect(await accountDigest(h.db.db, hostile.accountId)).toEqual(before);
      expect(await chargesOf(h, hostile.customerId)).toEqual([]);
    },
  );

  it('accepts every limit exactly: the longest text (a surrogate pair and spaces included), the largest numbers', async () => {
    const text = (n: number) => `a b 😀${'x'.repeat(n - 6)}`;
    const spend = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key: innocent.key,
      body: { amount: 1, description: text(MAX_DESCRIPTION_LENGTH), idempotencyKey: text(MAX_IDEMPOTENCY_KEY_LENGTH) },
    });
    expect(spend.status, JSON.stringify(spend.body)).toBe(200);
    const usage = await h.fetch('/api/billing/usage/events', {
      method: 'POST',
      key: innocent.key,
      body: { events: [{ id: text(MAX_EVENT_ID_LENGTH), metric: 'storage', quantity: -MAX_USAGE_QUANTITY }] },
    });
    expect(usage.body).toEqual({
      results: [{ id: text(MAX_EVENT_ID_LENGTH), status: 'accepted', used: 0, limit: expect.any(Number) }],
      refused: 0,
    });
    const settings = {
      enabled: false,
      threshold: MAX_RECHARGE_THRESHOLD,
      packId: 'credits_1m',
      spendingLimit: MAX_SPENDING_LIMIT,
    };
    const put = await h.fetch('/api/billing/credits/auto-recharge', {
      method: 'PUT',
      key: innocent.key,
      body: settings,
    });
    expect(put.body).toEqual(settings);
    const page = await h.fetch(`/api/billing/credits?limit=${MAX_PAGE_SIZE}&cursor=${'9'.repeat(MAX_CURSOR_DIGITS)}`, {
      key: innocent.key,
    });
    expect(page.status).toBe(200);
    const history = await h.fetch(`/api/billing/credits/history?days=${MAX_HISTORY_DAYS}`, { key: innocent.key });
    expect(history.status).toBe(200);
  });

  it('an Idempotency-Key of the longest printable ASCII buys once, and its retry answers the same', async () => {
    const buyer = await paidAccount(h);
    // Starts and ends with a non-space: HTTP trims a header value's outer whitespace.
    const key = `!~ ${'k'.repeat(MAX_IDEMPOTENCY_HEADER_LENGTH - 4)}z`;
    const buy = () =>
      h.fetch('/api/billing/credits/purchase', {
        method: 'POST',
        key: buyer.key,
        body: { packId: 'credits_1m' },
        headers: { 'idempotency-key': key },
      });
    const first = await buy();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await buy()).toMatchObject({ status: 200, body: first.body });
    expect(await chargesOf(h, buyer.customerId)).toHaveLength(1);
    const stored = await h.db.db
      .select({ key: schema.idempotencyRecords.key })
      .from(schema.idempotencyRecords)
      .where(eq(schema.idempotencyRecords.accountId, buyer.accountId));
    expect(stored).toEqual([{ key }]);
  });

  it('9007199254740991 tokens twice on an unlimited plan: both 400 naming amount, the counter untouched', async () => {
    const big = await paidAccount(h, { plan: 'enterprise' });
    const allowance = async () =>
      ((await h.fetch('/api/billing/credits/summary', { key: big.key })).body as { allowance: unknown }).allowance;
    const attack = (idempotencyKey: string): Hostile => ({
      why: 'the largest safe integer',
      op: SPEND,
      field: 'amount',
      input: spendBody({ amount: Number.MAX_SAFE_INTEGER, idempotencyKey }),
    });
    const answers = await besideInnocentSpends(() =>
      Promise.all([send(h, big.key, attack('first'), 'rest'), send(h, big.key, attack('second'), 'trpc')]),
    );
    for (const a of answers) {
      expect(a.status).toBe(400);
      expect(a.error).toContain(`amount: Too big: expected number to be <=${MAX_SPEND_AMOUNT}`);
    }
    expect(await allowance()).toEqual({ limit: null, used: 0, remaining: null });
    // The largest spend allowed is served beside the innocent ones, and the account keeps spending.
    const largest = await besideInnocentSpends(() => spendAs(big.key, MAX_SPEND_AMOUNT));
    expect(largest.body).toMatchObject({ fromAllowance: MAX_SPEND_AMOUNT, fromCredits: 0, balance: 0 });
    expect((await spendAs(big.key, 7)).status).toBe(200);
    expect(await allowance()).toEqual({ limit: null, used: MAX_SPEND_AMOUNT + 7, remaining: null });
  });
});
