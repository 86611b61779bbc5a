import { scaled, testDatabaseKinds } from '@contox/db/testing';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/auth/create-api-key';
import { ALL_SCOPES } from '../../src/services/auth/keys';
import type { Harness } from '../harness';
import { codeAt } from '../error-body';
import { paidAccount } from './accounts';
import { type BadRequest, badEnvelope, broken, type Operation, operationsOf, refusedByTheDomain } from './bad-requests';
import { useFireHarness } from './fire-suite';
import { databaseDigest } from './digest';
import { VALID } from './valid-requests';

const SIGN_IN: Operation = {
  method: 'POST',
  path: '/auth/session',
  params: [],
  body: { type: 'object', properties: { apiKey: { type: 'string', maxLength: 200 } }, required: ['apiKey'] },
  protect: false,
  served: ['POST'],
};

// Per operation; the CI budget affords 8, FUZZ_RUNS=300 is the deep run (docs/reliability.md).
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);

async function send(h: Harness, req: BadRequest, key: string, idempotencyKey: string | null) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    ...req.headers,
  };
  const res = await fetch(`${h.url}${req.path}${req.query ? `?${req.query}` : ''}`, {
    method: req.method,
    headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body };
}

function expectRefused(res: { status: number; body: unknown }, why: string) {
  expect(res.status, `${why} → ${res.status} ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${why} → ${res.status} ${JSON.stringify(res.body)}`).toBeLessThan(500);
  expect(res.status, `${why}: rate limited, so the request was never judged`).not.toBe(429);
  expect(res.body, why).toEqual({ error: expect.any(String), code: codeAt(res.status) });
  expect((res.body as { error: string }).error.length, why).toBeGreaterThan(0);
}

describe.each(testDatabaseKinds())('bad input on every REST path, on %s', (kind) => {
  const harness = useFireHarness(kind);
  let operations: Operation[] = [];
  /** A free account with no Stripe customer, and a paying one with a card: bad input must change neither. */
  let accounts: { accountId: string; ownerId: string }[] = [];
  beforeAll(async () => {
    const h = harness();
    const doc = (await h.fetch('/api/openapi.json')).body as Parameters<typeof operationsOf>[0];
    const anonymous = new Map<string, number>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        const res = await h.fetch(path, { method: method.toUpperCase(), ...(method === 'get' ? {} : { body: {} }) });
        anonymous.set(`${method.toUpperCase()} ${path}`, res.status);
      }
    }
    operations = [...operationsOf(doc, (method, path) => anonymous.get(`${method} ${path}`) !== 401), SIGN_IN];
    accounts = [await h.account(), await paidAccount(h)];
  });

  it('covers every documented operation', () => {
    expect(operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual(Object.keys(VALID).sort());
  });

  it('answers 4xx { error } and writes nothing, for any broken request to any operation', {
    timeout: scaled(60_000 + RUNS * 2_000),
  }, async () => {
    const h = harness();
    let requests = 0;
    for (const op of operations) {
      // Fresh keys per operation: the rate limit counts per key, and a 429 would hide what the request meant.
      const keys = await Promise.all(
        accounts.map((a) =>
          createApiKey(h.db.db, { accountId: a.accountId, memberId: a.ownerId, name: 'fuzz', scopes: ALL_SCOPES }),
        ),
      );
      const valid = VALID[`${op.method} ${op.path}`];
      const bodies: fc.Arbitrary<BadRequest>[] = [];
      if (op.body) {
        bodies.push(
          broken(op.body, valid).map(({ where, value }) => ({
            why: `body ${where}: ${JSON.stringify(value)?.slice(0, 200)}`,
            method: op.method,
            path: op.path,
            body: JSON.stringify(value) ?? 'null',
          })),
        );
      }
      const refused = refusedByTheDomain[`${op.method} ${op.path}`];
      if (refused) {
        bodies.push(
          refused.map((value) => ({
            why: `refused ${JSON.stringify(value)}`,
            method: op.method,
            path: op.path,
            body: JSON.stringify(value),
          })),
        );
      }
      const request = fc.oneof(badEnvelope(op, valid), ...bodies);
      await fc.assert(
        fc.asyncProperty(
          request,
          fc.constantFrom(...keys),
          fc.option(fc.string({ minLength: 1, maxLength: 40 })),
          async (req, key, idem) => {
            requests += 1;
            const before = await databaseDigest(h.db.db);
            expectRefused(await send(h, req, key, idem), `${op.method} ${op.path} ${req.why}`);
            const after = await databaseDigest(h.db.db);
            const written = Object.keys(after).filter((t) => after[t] !== before[t]);
            expect(written, `${op.method} ${op.path} ${req.why} wrote to`).toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
    }
    expect(requests).toBe(RUNS * operations.length);
  });

  it('refuses a body over 1 MB with 413 on every operation that takes one', async () => {
    const h = harness();
    const huge = JSON.stringify({ padding: 'x'.repeat(1_000_001) });
    const paid = accounts[1]!;
    const paidKey = await createApiKey(h.db.db, {
      accountId: paid.accountId,
      memberId: paid.ownerId,
      name: 'fuzz',
      scopes: ALL_SCOPES,
    });
    const before = await databaseDigest(h.db.db);
    for (const op of operations.filter((o) => o.body)) {
      const res = await send(h, { why: 'oversized', method: op.method, path: op.path, body: huge }, paidKey, null);
      expect(res.status, op.path).toBe(413);
      expect(res.body).toEqual({ error: expect.stringMatching(/too large/), code: 'payload_too_large' });
    }
    const after = await databaseDigest(h.db.db);
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([]);
  });
});
