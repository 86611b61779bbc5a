import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/auth/create-api-key';
import type { Scope } from '../../src/services/auth/keys';
import { restRoutes } from '../../src/http/rest-routes';
import { memberKey } from '../billing-helpers';
import type { Harness } from '../harness';
import { ledgerOf, paidAccount } from './accounts';
import { accountDigest, databaseDigest } from './digest';
import { useFireHarness } from './fire-suite';
import {
  OPERATOR_OPERATIONS,
  OWNER_OPERATIONS,
  TEAM_OPERATIONS,
  TEAM_READS,
  USAGE_OPERATIONS,
  VALID,
} from './valid-requests';

const procedureOf = (op: string) => restRoutes().get(op)!.procedure;
const split = (op: string) => op.split(' ') as [string, string];

type Credentials = { key: string } | { cookie: string; csrf?: boolean };

function authHeaders(c: Credentials): Record<string, string> {
  if ('key' in c) return { authorization: `Bearer ${c.key}` };
  return { cookie: c.cookie, ...(c.csrf ? { 'x-contox-csrf': '1' } : {}) };
}

async function call(
  h: Harness,
  op: string,
  c: Credentials,
  body: unknown = VALID[op],
  extra: Record<string, string> = {},
) {
  const [method, path] = split(op);
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { ...authHeaders(c), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...extra },
    ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** The same operation over tRPC, as the dashboard calls it. */
async function callTrpc(h: Harness, op: string, c: Credentials) {
  const [method] = split(op);
  const path = `${h.url}/trpc/${procedureOf(op)}`;
  const res =
    method === 'GET'
      ? await fetch(`${path}?input=${encodeURIComponent(JSON.stringify({}))}`, { headers: authHeaders(c) })
      : await fetch(path, {
          method: 'POST',
          headers: { ...authHeaders(c), 'content-type': 'application/json' },
          body: JSON.stringify(VALID[op]),
        });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe.each(testDatabaseKinds())('security on %s', (kind) => {
  const harness = useFireHarness(kind);
  let owner: Awaited<ReturnType<typeof paidAccount>>;
  let mutations: string[] = [];
  let reads: string[] = [];

  beforeAll(async () => {
    const h = harness();
    owner = await paidAccount(h);
    const bought = await h.fetch('/api/billing/credits/purchase', {
      method: 'POST',
      key: owner.key,
      body: { packId: 'credits_1m' },
      headers: { 'idempotency-key': 'shared-purchase' },
    });
    expect(bought.status).toBe(200);
    const spent = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key: owner.key,
      body: { amount: 1000, description: 'owner spend', idempotencyKey: 'shared-spend' },
    });
    expect(spent.status).toBe(200);
    const recorded = await h.fetch('/api/billing/usage/events', {
      method: 'POST',
      key: owner.key,
      body: { events: [{ id: 'shared-event', metric: 'sessions', quantity: 3 }] },
    });
    expect(recorded.status).toBe(200);
    const doc = (await h.fetch('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    mutations = ops.filter((op) => !op.startsWith('GET '));
    // The team's and the operator's reads have rules of their own (team-access.test.ts, onboarding.test.ts).
    const ownRules = [...TEAM_READS, ...OPERATOR_OPERATIONS];
    reads = ops.filter((op) => op.startsWith('GET ') && op !== 'GET /api/billing/plans' && !ownRules.includes(op));
  });

  it('classifies every documented mutation as owner-only, usage, team or operator', () => {
    const operator = OPERATOR_OPERATIONS.filter((op) => !op.startsWith('GET '));
    expect([...mutations].sort()).toEqual(
      [...OWNER_OPERATIONS, ...USAGE_OPERATIONS, ...TEAM_OPERATIONS, ...operator].sort(),
    );
  });

  it("another account's key never shows the account's data, on any read, over REST or tRPC", async () => {
    const h = harness();
    const other = await paidAccount(h);
    const secrets = [owner.accountId, owner.customerId, ...(await ledgerOf(h, owner.accountId)).map((t) => t.id)];
    for (const op of reads) {
      for (const res of [await call(h, op, { key: other.key }), await callTrpc(h, op, { key: other.key })]) {
        expect(res.status, op).toBe(200);
        for (const secret of secrets) expect(JSON.stringify(res.body), `${op} leaks ${secret}`).not.toContain(secret);
      }
    }
    const credits = (await call(h, 'GET /api/billing/credits', { key: other.key })).body;
    expect(credits).toMatchObject({ balance: 0, transactions: [] });
    // The owner's newest ledger position as a cursor: still only the caller's own (empty) history.
    const paged = await h.fetch('/api/billing/credits?cursor=999999999', { key: other.key });
    expect(paged.body).toMatchObject({ balance: 0, transactions: [] });
  });

  it("another account reusing the account's idempotency keys and event ids gets its own effects and changes nothing of it", async () => {
    const h = harness();
    const other = await paidAccount(h);
    const before = await accountDigest(h.db.db, owner.accountId);
    const ownerSpend = (await ledgerOf(h, owner.accountId)).find((t) => t.type === 'usage')!;

    const spend = await call(
      h,
      'POST /api/billing/credits/spend',
      { key: other.key },
      {
        amount: 1000,
        description: 'owner spend',
        idempotencyKey: 'shared-spend',
      },
    );
    expect(spend.status).toBe(200);
    expect((spend.body as { transactionId: string }).transactionId).not.toBe(ownerSpend.id);
    const usage = await call(
      h,
      'POST /api/billing/usage/events',
      { key: other.key },
      {
        events: [{ id: 'shared-event', metric: 'sessions', quantity: 3 }],
      },
    );
    expect(usage.body).toEqual({
      results: [{ id: 'shared-event', status: 'accepted', used: 3, limit: 50 }],
      refused: 0,
    });
    const bought = await call(
      h,
      'POST /api/billing/credits/purchase',
      { key: other.key },
      { packId: 'credits_1m' },
      {
        'idempotency-key': 'shared-purchase',
      },
    );
    expect(bought.status).toBe(200);
    expect(bought.body).toMatchObject({ balance: 1_000_000, purchased: 1_000_000 });
    for (const op of OWNER_OPERATIONS.filter((o) => o !== 'POST /api/billing/credits/purchase')) {
      expect((await call(h, op, { key: other.key })).status, op).toBeLessThan(500);
    }

    expect(await accountDigest(h.db.db, owner.accountId)).toEqual(before);
    expect((await ledgerOf(h, other.accountId)).map((t) => t.accountId)).toEqual([other.accountId, other.accountId]);
  });

  it.each(['admin', 'member'] as const)(
    'a %s key gets 403 on every owner operation and changes nothing; it may read and record usage',
    async (role) => {
      const h = harness();
      const key = await memberKey(h, owner.accountId, role);
      const before = await databaseDigest(h.db.db);
      for (const op of OWNER_OPERATIONS) {
        for (const res of [await call(h, op, { key }), await callTrpc(h, op, { key })]) {
          expect(res.status, op).toBe(403);
        }
        expect((await call(h, op, { key })).body, op).toEqual({
          error: expect.stringContaining(`you are ${role}`),
          code: 'forbidden',
        });
      }
      expect(await databaseDigest(h.db.db)).toEqual(before);
      for (const op of reads) expect((await call(h, op, { key })).status, op).toBe(200);
      for (const op of USAGE_OPERATIONS) expect((await call(h, op, { key })).status, op).toBe(200);
    },
  );

  it('a key without a scope gets 403 on the operations needing it, even the owner', async () => {
    const h = harness();
    const keyWith = (scopes: Scope[]) =>
      createApiKey(h.db.db, { accountId: owner.accountId, memberId: owner.ownerId, name: 'scoped', scopes });
    const before = await databaseDigest(h.db.db);
    const noBilling = await keyWith(['read', 'usage']);
    for (const op of OWNER_OPERATIONS) expect((await call(h, op, { key: noBilling })).status, op).toBe(403);
    const readOnly = await keyWith(['read']);
    for (const op of USAGE_OPERATIONS) expect((await call(h, op, { key: readOnly })).status, op).toBe(403);
    const usageOnly = await keyWith(['usage']);
    for (const op of reads) expect((await call(h, op, { key: usageOnly })).status, op).toBe(403);
    const after = await databaseDigest(h.db.db);
    // Only the three keys were added.
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual(['api_keys']);
  });

  it('a cookie session may read, but every mutation without X-Contox-CSRF is a 403 that writes nothing', async () => {
    const h = harness();
    const signIn = await fetch(`${h.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: owner.key }),
    });
    expect(signIn.status).toBe(200);
    const cookie = /contox_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
    expect(cookie).toBeDefined();
    const session = { cookie: cookie! };

    for (const op of reads) expect((await call(h, op, session)).status, op).toBe(200);
    const before = await databaseDigest(h.db.db);
    // The operator API takes no session at all (404 here, where BILLING_ADMIN_TOKEN is not set).
    for (const op of mutations.filter((m) => !OPERATOR_OPERATIONS.includes(m))) {
      for (const res of [await call(h, op, session), await callTrpc(h, op, session)]) {
        expect(res.status, op).toBe(403);
      }
      expect((await call(h, op, session)).body, op).toEqual({
        error: expect.stringContaining('X-Contox-CSRF'),
        code: 'forbidden',
      });
      // What a cross-site form can send: a simple content type, no custom header.
      const form = await call(h, op, session, VALID[op], { 'content-type': 'text/plain' });
      expect([403, 415], op).toContain(form.status);
    }
    expect(await databaseDigest(h.db.db)).toEqual(before);

    const withHeader = await call(h, 'PUT /api/billing/credits/auto-recharge', { ...session, csrf: true });
    expect(withHeader.status).toBe(200);
  });
});
