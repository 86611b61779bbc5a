import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addMember } from '../src/services/accounts/create-account';
import { createApiKey } from '../src/services/auth/create-api-key';
import { ALL_SCOPES, type Scope } from '../src/services/auth/keys';
import { createSignInLink } from '../src/services/auth/sign-in';
import { VALID } from './fire/valid-requests';
import { type Harness, useHarness } from './harness';
import { followSignInLink, sessionFromKey } from './team-helpers';

type Role = 'owner' | 'admin' | 'member';

/** Who calls: a key of a role with some scopes, a dashboard session (from a link, or from such a key), or nobody. */
interface Caller {
  name: string;
  role: Role | null;
  scopes: Scope[];
  via: 'key' | 'link session' | 'key session' | 'none' | 'bad key';
}

const key = (role: Role, scopes: Scope[]): Caller => ({
  name: `${role} key [${scopes.join(',')}]`,
  role,
  scopes,
  via: 'key',
});

const CALLERS: Caller[] = [
  key('owner', ALL_SCOPES),
  key('admin', ALL_SCOPES),
  key('member', ALL_SCOPES),
  key('owner', ['read', 'usage']),
  key('admin', ['read']),
  key('owner', ['billing']),
  { name: 'owner session (link)', role: 'owner', scopes: ALL_SCOPES, via: 'link session' },
  { name: 'admin session (link)', role: 'admin', scopes: ALL_SCOPES, via: 'link session' },
  { name: 'member session (link)', role: 'member', scopes: ALL_SCOPES, via: 'link session' },
  { name: 'owner session (read key)', role: 'owner', scopes: ['read'], via: 'key session' },
  { name: 'owner session (billing key)', role: 'owner', scopes: ['billing'], via: 'key session' },
  { name: 'nobody', role: null, scopes: [], via: 'none' },
  { name: 'made-up key', role: null, scopes: [], via: 'bad key' },
];

/** A fresh account with a member of each role (the owner is the account's own). */
interface Team {
  accountId: string;
  ids: Record<Role, string>;
  /** A member and a key nobody else uses, for the paths that change or remove one. */
  spareMemberId: string;
  spareKeyId: string;
}

interface Path {
  name: string;
  /** What a caller allowed to use it gets. */
  ok: number;
  ownerOnly?: boolean;
  request(team: Team): { method: string; path: string; body?: unknown };
}

let n = 0;
const unique = () => `${Date.now()}-${++n}`;

const PATHS: Path[] = [
  { name: 'GET api-keys', ok: 200, request: () => ({ method: 'GET', path: '/api/account/api-keys' }) },
  {
    name: 'POST api-keys',
    ok: 201,
    request: () => ({ method: 'POST', path: '/api/account/api-keys', body: { name: 'ci', scopes: ['billing'] } }),
  },
  {
    name: 'DELETE api-keys/{id}',
    ok: 200,
    request: (t) => ({ method: 'DELETE', path: `/api/account/api-keys/${t.spareKeyId}` }),
  },
  { name: 'GET members', ok: 200, request: () => ({ method: 'GET', path: '/api/account/members' }) },
  {
    name: 'POST members',
    ok: 201,
    request: () => ({
      method: 'POST',
      path: '/api/account/members',
      body: { email: `new-${unique()}@example.com`, role: 'member' },
    }),
  },
  {
    name: 'PATCH members/{id}',
    ok: 200,
    request: (t) => ({ method: 'PATCH', path: `/api/account/members/${t.spareMemberId}`, body: { role: 'admin' } }),
  },
  {
    name: 'DELETE members/{id}',
    ok: 200,
    request: (t) => ({ method: 'DELETE', path: `/api/account/members/${t.spareMemberId}` }),
  },
  {
    name: 'POST transfer-ownership',
    ok: 200,
    ownerOnly: true,
    request: (t) => ({
      method: 'POST',
      path: '/api/account/transfer-ownership',
      body: { memberId: t.spareMemberId },
    }),
  },
];

/** The rule under test, written out: credentials, then the billing scope, then the role. */
function expected(caller: Caller, path: Path): number {
  if (caller.role === null) return 401;
  if (!caller.scopes.includes('billing')) return 403;
  if (caller.role === 'member') return 403;
  if (path.ownerOnly && caller.role !== 'owner') return 403;
  return path.ok;
}

async function makeTeam(h: Harness): Promise<Team> {
  const a = await h.account();
  const member = (role: 'admin' | 'member') =>
    addMember(h.db.db, { accountId: a.accountId, email: `${role}-${unique()}@example.com`, name: role, role });
  const [admin, plain, spare] = await Promise.all([member('admin'), member('member'), member('member')]);
  const spareKey = await createApiKey(h.db.db, {
    accountId: a.accountId,
    memberId: spare,
    name: 'spare',
    scopes: ['read'],
  });
  const [row] = await h.db.db
    .select({ id: schema.apiKeys.id })
    .from(schema.apiKeys)
    .where(eq(schema.apiKeys.prefix, `${spareKey.slice(0, 16)}…`));
  return {
    accountId: a.accountId,
    ids: { owner: a.ownerId, admin, member: plain },
    spareMemberId: spare,
    spareKeyId: row!.id,
  };
}

/** The headers that present the caller, a CSRF header included for a session's changes. */
async function credentials(h: Harness, team: Team, caller: Caller): Promise<Record<string, string>> {
  if (caller.via === 'none') return {};
  if (caller.via === 'bad key') return { authorization: 'Bearer contox_sk_madeupmadeupmadeupmadeup' };
  const memberId = team.ids[caller.role!];
  if (caller.via === 'link session') {
    const token = await createSignInLink(h.db.db, memberId, h.clock.now);
    return { cookie: await followSignInLink(h, `http://x/auth/sign-in?token=${token}`), 'x-contox-csrf': '1' };
  }
  const secret = await createApiKey(h.db.db, { accountId: team.accountId, memberId, name: 'c', scopes: caller.scopes });
  if (caller.via === 'key') return { authorization: `Bearer ${secret}` };
  return { cookie: await sessionFromKey(h, secret), 'x-contox-csrf': '1' };
}

describe.each(testDatabaseKinds())('who may manage members and API keys, on %s', (kind) => {
  const harness = useHarness(kind);

  it('every caller × every path answers as the rule says (a fresh account per cell)', async () => {
    const h = harness();
    const table: string[] = [];
    const cells = CALLERS.flatMap((caller) => PATHS.map((path) => ({ caller, path })));
    // A few cells at a time: each builds its own account, so they cannot disturb one another.
    for (let i = 0; i < cells.length; i += 8) {
      const rows = await Promise.all(
        cells.slice(i, i + 8).map(async ({ caller, path }) => {
          const team = await makeTeam(h);
          const headers = await credentials(h, team, caller);
          const { method, path: url, body } = path.request(team);
          const res = await h.fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
          return `${caller.name} | ${path.name} | ${res.status}`;
        }),
      );
      table.push(...rows);
    }
    expect(table).toEqual(cells.map(({ caller, path }) => `${caller.name} | ${path.name} | ${expected(caller, path)}`));
  });

  it("another account's key or member id is 404 to a caller with every power, and nothing of theirs changes", async () => {
    const h = harness();
    const [mine, theirs] = [await makeTeam(h), await makeTeam(h)];
    const headers = await credentials(h, mine, key('owner', ALL_SCOPES));
    for (const path of PATHS.filter((p) => /\{id\}|transfer/.test(p.name))) {
      const { method, path: url, body } = path.request(theirs);
      const res = await h.fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
      expect(res.status, path.name).toBe(404);
      expect((res.body as { code: string }).code).toBe('not_found');
    }
    const keys = await h.db.db.select().from(schema.apiKeys).where(eq(schema.apiKeys.id, theirs.spareKeyId));
    expect(keys[0]!.revokedAt).toBeNull();
    const members = await h.db.db.select().from(schema.members).where(eq(schema.members.accountId, theirs.accountId));
    expect(members.map((m) => m.role).sort()).toEqual(['admin', 'member', 'member', 'owner']);
  });

  it('a session made from a key answers every documented path as the key itself does', async () => {
    const h = harness();
    const doc = (await h.fetch('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((op) => !op.includes(' /api/admin/'));
    const callers = [
      key('owner', ['read']),
      key('owner', ['usage']),
      key('owner', ['billing']),
      key('owner', ALL_SCOPES),
      key('admin', ['billing']),
      key('member', ALL_SCOPES),
    ];
    const differences: string[] = [];
    for (const caller of callers) {
      // Twin accounts: what one call changes in its account cannot change what the other call answers.
      const [a, b] = [await makeTeam(h), await makeTeam(h)];
      const asKey = await credentials(h, a, caller);
      const asSession = await credentials(h, b, { ...caller, via: 'key session' });
      for (const op of ops) {
        const [method, path] = op.split(' ') as [string, string];
        const body = method === 'GET' ? undefined : (VALID[op] ?? {});
        const send = (headers: Record<string, string>) =>
          h.fetch(path, { method, headers, ...(body === undefined ? {} : { body }) });
        const [byKey, bySession] = [await send(asKey), await send(asSession)];
        if (byKey.status !== bySession.status) {
          differences.push(`${caller.name} ${op}: key ${byKey.status}, session ${bySession.status}`);
        }
      }
    }
    expect(differences).toEqual([]);
  });

  it('a session needs the CSRF header for every change, whatever its powers', async () => {
    const h = harness();
    const team = await makeTeam(h);
    const { cookie } = await credentials(h, team, { ...CALLERS[6]!, via: 'link session' });
    for (const path of PATHS.filter((p) => p.request(team).method !== 'GET')) {
      const { method, path: url, body } = path.request(team);
      const res = await h.fetch(url, { method, headers: { cookie: cookie! }, ...(body === undefined ? {} : { body }) });
      expect(res.status, path.name).toBe(403);
      expect((res.body as { error: string }).error).toMatch(/X-Contox-CSRF/);
    }
  });
});
