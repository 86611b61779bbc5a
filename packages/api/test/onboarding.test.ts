import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { type Harness, useHarness } from './harness';
import { ADMIN_TOKEN, followSignInLink, sessionFromKey } from './team-helpers';

const operator = { authorization: `Bearer ${ADMIN_TOKEN}` };

const spend = (h: Harness, auth: { key?: string; cookie?: string }) =>
  h.fetch('/api/billing/credits/spend', {
    method: 'POST',
    ...(auth.key ? { key: auth.key } : {}),
    headers: auth.cookie ? { cookie: auth.cookie, 'x-contox-csrf': '1' } : {},
    body: { amount: 1, description: 'Enrichment', idempotencyKey: `s-${Math.random()}` },
  });

describe.each(testDatabaseKinds())('onboarding a customer through the operator API on %s', (kind) => {
  const harness = useHarness(kind, { adminToken: ADMIN_TOKEN });

  it('account, owner signs in with the link, a read-only key reads but cannot spend, nor can its session; revoking stops both', async () => {
    const h = harness();
    const created = await h.fetch('/api/admin/accounts', {
      method: 'POST',
      headers: operator,
      body: { name: 'Acme', externalId: 'ws_acme', owner: { email: 'Alice@Acme.test', name: 'Alice' } },
    });
    expect(created.status).toBe(201);
    const body = created.body as {
      account: { id: string };
      owner: { id: string };
      apiKey: { id: string; key: string; scopes: string[] };
    };
    expect(body).toEqual({
      account: { id: expect.stringMatching(/^acc_/), name: 'Acme', plan: 'free', externalId: 'ws_acme' },
      owner: { id: expect.stringMatching(/^mem_/), email: 'alice@acme.test', name: 'Alice', role: 'owner' },
      apiKey: {
        id: expect.stringMatching(/^key_/),
        key: expect.stringMatching(/^contox_sk_/),
        scopes: ['read', 'billing', 'usage'],
      },
    });
    const accountId = body.account.id;
    expect((await h.fetch('/api/account', { key: body.apiKey.key })).body).toMatchObject({
      account: { id: accountId },
      member: { role: 'owner' },
    });

    const link = await h.fetch(`/api/admin/accounts/${accountId}/sign-in-links`, {
      method: 'POST',
      headers: operator,
      body: { email: 'alice@acme.test' },
    });
    expect(link.status).toBe(200);
    const { url, expiresAt } = link.body as { url: string; expiresAt: string };
    expect(url).toMatch(/^http:\/\/localhost:3000\/auth\/sign-in\?token=/);
    expect(expiresAt).toBe('2026-01-16T10:00:00Z');
    const owner = await followSignInLink(h, url);
    const asOwner = { cookie: owner, 'x-contox-csrf': '1' };

    const made = await h.fetch('/api/account/api-keys', {
      method: 'POST',
      headers: asOwner,
      body: { name: 'dashboard reader', scopes: ['read'] },
    });
    expect(made.status).toBe(201);
    const readKey = made.body as { id: string; name: string; scopes: string[]; key: string };
    expect(readKey).toEqual({
      id: expect.any(String),
      name: 'dashboard reader',
      scopes: ['read'],
      key: expect.any(String),
    });

    // The key reads, and cannot spend.
    expect((await h.fetch('/api/billing/credits', { key: readKey.key })).status).toBe(200);
    const refused = await spend(h, { key: readKey.key });
    expect(refused.status).toBe(403);
    expect((refused.body as { error: string }).error).toMatch(/usage/);
    // A dashboard session made from it has its powers, no more.
    const readSession = await sessionFromKey(h, readKey.key);
    expect((await h.fetch('/api/billing/credits', { headers: { cookie: readSession } })).status).toBe(200);
    expect((await spend(h, { cookie: readSession })).status).toBe(403);
    expect((await h.fetch('/api/account/api-keys', { headers: { cookie: readSession } })).status).toBe(403);
    // The owner's session spends (the plan allowance covers it).
    expect((await spend(h, { cookie: owner })).status).toBe(200);

    const listed = await h.fetch('/api/account/api-keys', { headers: { cookie: owner } });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(readKey.key);
    expect((listed.body as { apiKeys: { id: string; prefix: string }[] }).apiKeys).toContainEqual(
      expect.objectContaining({
        id: readKey.id,
        name: 'dashboard reader',
        scopes: ['read'],
        prefix: `${readKey.key.slice(0, 16)}…`,
      }),
    );

    // Revocation stops the key and the session made from it on their very next request.
    const revoked = await h.fetch(`/api/account/api-keys/${readKey.id}`, { method: 'DELETE', headers: asOwner });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ id: readKey.id, revoked: true });
    expect((await h.fetch('/api/billing/credits', { key: readKey.key })).status).toBe(401);
    expect((await h.fetch('/api/billing/credits', { headers: { cookie: readSession } })).status).toBe(401);
    expect((await h.fetch('/api/billing/credits', { headers: { cookie: owner } })).status).toBe(200);
  });

  it('the same externalId again answers 200 with the same account and owner, no key, and creates nothing', async () => {
    const h = harness();
    const ask = () =>
      h.fetch('/api/admin/accounts', {
        method: 'POST',
        headers: operator,
        body: { name: 'Beta', externalId: 'ws_beta', owner: { email: 'bob@beta.test' } },
      });
    const [first, ...again] = await Promise.all([ask(), ask(), ask()]);
    const statuses = [first!, ...again].map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 201]);
    const winner = [first!, ...again].find((r) => r.status === 201)!.body as { account: unknown; owner: unknown };
    for (const r of [first!, ...again].filter((x) => x.status === 200)) {
      expect(r.body).toEqual({ account: winner.account, owner: winner.owner });
    }
    expect(winner.owner).toMatchObject({ name: 'bob', email: 'bob@beta.test' });
    const found = await h.fetch('/api/admin/accounts?externalId=ws_beta', { headers: operator });
    expect(found.status).toBe(200);
    const accounts = (found.body as { accounts: { id: string; owner: { email: string } }[] }).accounts;
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ externalId: 'ws_beta', owner: { email: 'bob@beta.test', role: 'owner' } });
    const one = await h.fetch(`/api/admin/accounts/${accounts[0]!.id}`, { headers: operator });
    expect(one.body).toEqual(accounts[0]);
  });

  it('refuses callers without the token (401), unknown accounts and members (404) and bad input (400)', async () => {
    const h = harness();
    const a = await h.account();
    const body = { name: 'X', owner: { email: 'x@x.test' } };
    const post = (headers: Record<string, string>, b: unknown = body) =>
      h.fetch('/api/admin/accounts', { method: 'POST', headers, body: b });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${ADMIN_TOKEN}x` })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${a.key}` })).status).toBe(401);
    expect(
      await h
        .trpc(a.key)
        .admin.accounts.list.query({})
        .catch((e: { data: { httpStatus: number } }) => e.data.httpStatus),
    ).toBe(401);
    expect((await post(operator, { ...body, owner: { email: 'not an email' } })).status).toBe(400);
    expect((await post(operator, { ...body, name: 'tab\there' })).status).toBe(400);
    expect((await post(operator, { ...body, owner: { email: `${'a'.repeat(250)}@x.test` } })).status).toBe(400);
    expect((await h.fetch('/api/admin/accounts/acc_nope', { headers: operator })).status).toBe(404);
    const link = await h.fetch(`/api/admin/accounts/${a.accountId}/sign-in-links`, {
      method: 'POST',
      headers: operator,
      body: { email: 'nobody@example.com' },
    });
    expect(link.status).toBe(404);
  });
});

describe.each(testDatabaseKinds())('the operator API without BILLING_ADMIN_TOKEN on %s', (kind) => {
  const harness = useHarness(kind);

  it('is not there: every admin path answers 404, whatever the caller sends', async () => {
    const h = harness();
    const a = await h.account();
    for (const headers of [{}, operator, { authorization: `Bearer ${a.key}` }]) {
      const created = await h.fetch('/api/admin/accounts', {
        method: 'POST',
        headers,
        body: { name: 'X', owner: { email: 'x@x.test' } },
      });
      expect(created.status).toBe(404);
      expect((await h.fetch('/api/admin/accounts', { headers })).status).toBe(404);
      expect((await h.fetch(`/api/admin/accounts/${a.accountId}`, { headers })).status).toBe(404);
    }
  });
});
