import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addMember } from '../src/services/accounts/create-account';
import { createApiKey } from '../src/services/auth/create-api-key';
import { ALL_SCOPES, type Scope } from '../src/services/auth/keys';
import { type Harness, useHarness } from './harness';
import { sessionFromKey } from './team-helpers';

describe.each(testDatabaseKinds())('the rules of a team, on %s', (kind) => {
  const harness = useHarness(kind);

  async function team(h: Harness) {
    const a = await h.account();
    const join = async (role: 'admin' | 'member') => {
      const id = await addMember(h.db.db, {
        accountId: a.accountId,
        email: `${role}-${Math.random()}@example.com`,
        name: role,
        role,
      });
      const key = await createApiKey(h.db.db, { accountId: a.accountId, memberId: id, name: role, scopes: ALL_SCOPES });
      return { id, key };
    };
    return { ...a, admin: await join('admin'), member: await join('member') };
  }

  const call = (h: Harness, key: string, method: string, path: string, body?: unknown) =>
    h.fetch(path, { method, key, ...(body === undefined ? {} : { body }) });

  const owners = async (h: Harness, accountId: string) =>
    (await h.db.db.select().from(schema.members).where(eq(schema.members.accountId, accountId)))
      .filter((m) => m.role === 'owner')
      .map((m) => m.id);

  it('nobody removes or demotes the owner, the owner included', async () => {
    const h = harness();
    const t = await team(h);
    for (const key of [t.key, t.admin.key]) {
      const demote = await call(h, key, 'PATCH', `/api/account/members/${t.ownerId}`, { role: 'member' });
      expect(demote.status).toBe(403);
      expect((demote.body as { error: string }).error).toMatch(/transfer/);
      expect((await call(h, key, 'DELETE', `/api/account/members/${t.ownerId}`)).status).toBe(403);
    }
    expect((await call(h, t.key, 'PATCH', `/api/account/members/${t.admin.id}`, { role: 'owner' })).status).toBe(400);
    expect(await owners(h, t.accountId)).toEqual([t.ownerId]);
  });

  it('transfer-ownership swaps the two roles in one step; the old owner loses the owner’s powers at once', async () => {
    const h = harness();
    const t = await team(h);
    // The old owner's key is cached as the owner's before the transfer.
    expect((await call(h, t.key, 'GET', '/api/account')).body).toMatchObject({ member: { role: 'owner' } });
    expect(
      (await call(h, t.admin.key, 'POST', '/api/account/transfer-ownership', { memberId: t.member.id })).status,
    ).toBe(403);
    const moved = await call(h, t.key, 'POST', '/api/account/transfer-ownership', { memberId: t.member.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      owner: { id: t.member.id, role: 'owner' },
      previousOwner: { id: t.ownerId, role: 'admin' },
    });
    expect(await owners(h, t.accountId)).toEqual([t.member.id]);
    expect((await call(h, t.key, 'GET', '/api/account')).body).toMatchObject({ member: { role: 'admin' } });
    const again = await call(h, t.key, 'POST', '/api/account/transfer-ownership', { memberId: t.ownerId });
    expect(again.status).toBe(403);
    // The new owner is one: its own key, cached as a member's before, manages billing now.
    expect((await call(h, t.member.key, 'GET', '/api/account/members')).status).toBe(200);
    const self = await call(h, t.member.key, 'POST', '/api/account/transfer-ownership', { memberId: t.member.id });
    expect(self.status).toBe(409);
  });

  it('two transfers at once: one wins, the other finds its caller no longer owner; always exactly one owner', async () => {
    const h = harness();
    for (let round = 0; round < 3; round++) {
      const t = await team(h);
      const answers = await Promise.all(
        [t.admin.id, t.member.id].map((memberId) =>
          call(h, t.key, 'POST', '/api/account/transfer-ownership', { memberId }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 403]);
      const winner = (answers.find((r) => r.status === 200)!.body as { owner: { id: string } }).owner.id;
      expect(await owners(h, t.accountId)).toEqual([winner]);
    }
  });

  it('a removed member’s keys and sessions stop at once; a demoted admin loses key management at once', async () => {
    const h = harness();
    const t = await team(h);
    const session = await sessionFromKey(h, t.member.key);
    expect((await call(h, t.member.key, 'GET', '/api/billing/credits')).status).toBe(200);
    const removed = await call(h, t.admin.key, 'DELETE', `/api/account/members/${t.member.id}`);
    expect(removed).toMatchObject({ status: 200, body: { id: t.member.id, removed: true } });
    expect((await call(h, t.member.key, 'GET', '/api/billing/credits')).status).toBe(401);
    expect((await h.fetch('/api/billing/credits', { headers: { cookie: session } })).status).toBe(401);
    expect((await call(h, t.admin.key, 'DELETE', `/api/account/members/${t.member.id}`)).status).toBe(404);

    expect((await call(h, t.admin.key, 'GET', '/api/account/api-keys')).status).toBe(200);
    expect((await call(h, t.key, 'PATCH', `/api/account/members/${t.admin.id}`, { role: 'member' })).status).toBe(200);
    expect((await call(h, t.admin.key, 'GET', '/api/account/api-keys')).status).toBe(403);
  });

  it('a key never mints a wider one; the same email twice is a conflict; scopes are checked', async () => {
    const h = harness();
    const t = await team(h);
    const billingOnly = await createApiKey(h.db.db, {
      accountId: t.accountId,
      memberId: t.ownerId,
      name: 'b',
      scopes: ['billing'] as Scope[],
    });
    const wider = await call(h, billingOnly, 'POST', '/api/account/api-keys', {
      name: 'x',
      scopes: ['billing', 'usage'],
    });
    expect(wider.status).toBe(403);
    const same = await call(h, billingOnly, 'POST', '/api/account/api-keys', { name: 'x', scopes: ['billing'] });
    expect(same.status).toBe(201);
    for (const scopes of [[], ['admin'], ['read', 'read', 'read', 'read']]) {
      expect((await call(h, t.key, 'POST', '/api/account/api-keys', { name: 'x', scopes })).status).toBe(400);
    }
    const email = `dup-${Math.random()}@example.com`;
    const first = await call(h, t.key, 'POST', '/api/account/members', { email, role: 'member' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ member: { email, role: 'member' }, signInUrl: expect.stringMatching(/token=/) });
    const dup = await call(h, t.key, 'POST', '/api/account/members', { email: email.toUpperCase(), role: 'admin' });
    expect(dup.status).toBe(409);
  });

  it('is the same over tRPC: apiKeys.* and members.* with the same rules', async () => {
    const h = harness();
    const t = await team(h);
    const owner = h.trpc(t.key);
    const made = await owner.apiKeys.create.mutate({ name: 'trpc', scopes: ['read'] });
    expect((await owner.apiKeys.list.query({})).apiKeys.map((k) => k.id)).toContain(made.id);
    expect(await owner.apiKeys.revoke.mutate({ id: made.id })).toEqual({ id: made.id, revoked: true });
    expect((await owner.members.list.query({})).members[0]).toMatchObject({ id: t.ownerId, role: 'owner' });
    await expect(h.trpc(t.member.key).members.list.query({})).rejects.toThrow(/owner or an admin/);
  });
});
