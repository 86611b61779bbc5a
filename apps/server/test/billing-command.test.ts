import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schema } from '@contox/db';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../src/data-dir-lock';
import { type SpawnedServer, spawnServer } from '../src/spawn-server';
import { type CommandLine, compiledCommandLine, type Ran, run } from './command-line';

const repoDir = fileURLToPath(new URL('../../..', import.meta.url));

/** The command line, compiled once for this file (./command-line: the same source, ~3x less CPU a call). */
let commandLine: CommandLine;
beforeAll(async () => {
  commandLine = await compiledCommandLine();
});
afterAll(() => commandLine?.close());
const billing = (env: Record<string, string>, ...args: string[]) => commandLine.billing(env, ...args);

async function json<T>(ran: Promise<Ran>): Promise<T> {
  const done = await ran;
  expect(done.code, done.stderr).toBe(0);
  return JSON.parse(done.stdout) as T;
}

describe.runIf(testDatabaseKinds().includes('postgres'))('pnpm billing on a fresh Postgres database', () => {
  let target: TestDatabase;
  let server: SpawnedServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    target = await createTestDatabase('postgres');
    // The server and the command line migrate by themselves: hand them an emptied database.
    await target.sql!.unsafe(
      'drop schema public cascade; create schema public; drop schema if exists drizzle cascade;',
    );
    // A real database and no demo flag, as in production.
    // The rate limit is not under test: the revocation test asks the server until it refuses the key.
    server = await spawnServer({ DATABASE_URL: target.url!, BILLING_DEMO: '', RATE_LIMIT_PER_MINUTE: '100000' });
    env = { DATABASE_URL: target.url!, APP_URL: server.url };
  });
  afterAll(async () => {
    await server?.stop();
    await target?.close();
  });

  const http = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const cookieOf = (res: Response) => /contox_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  const spend = (headers: Record<string, string>) =>
    http('/api/billing/credits/spend', {
      method: 'POST',
      headers,
      body: { amount: 1, description: 'Enrichment', idempotencyKey: `k-${Math.random()}` },
    });

  it('a server on it seeds nothing and prints no secret; its banner says how to create the first account', async () => {
    const banner = server.output();
    expect(banner).not.toMatch(/Demo API key|Sign in:|contox_sk_|token=/);
    expect(banner).toContain('pnpm billing accounts create --name');
    expect(await target.db.select().from(schema.accounts)).toEqual([]);
  });

  it('onboards a customer: account, the owner signs in with the link, a read-only key reads but cannot spend, nor can its session; revoking stops both', async () => {
    type Created = { account: { id: string }; owner: { id: string }; apiKey?: { key: string } };
    const args = ['accounts', 'create', '--name', 'Acme', '--owner-email', 'alice@acme.test', '--external-id', 'ws_1'];
    const created = await json<Created>(billing(env, ...args, '--json'));
    expect(created.apiKey?.key).toMatch(/^contox_sk_/);
    const again = await json<Created>(billing(env, ...args, '--json'));
    expect(again).toEqual({ account: created.account, owner: created.owner });
    const accountId = created.account.id;

    const link = await json<{ url: string }>(
      billing(env, 'sign-in-link', '--account', accountId, '--email', 'alice@acme.test', '--json'),
    );
    expect(link.url.startsWith(`${server.url}/auth/sign-in?token=`)).toBe(true);
    const signedIn = await fetch(link.url, { redirect: 'manual' });
    expect(signedIn.status).toBe(302);
    const owner = { cookie: cookieOf(signedIn), 'x-contox-csrf': '1' };

    const made = await http('/api/account/api-keys', {
      method: 'POST',
      headers: owner,
      body: { name: 'reader', scopes: ['read'] },
    });
    expect(made.status).toBe(201);
    const reader = (await made.json()) as { id: string; key: string };
    const asReader = { authorization: `Bearer ${reader.key}` };
    expect((await http('/api/billing/credits', { headers: asReader })).status).toBe(200);
    expect((await spend(asReader)).status).toBe(403);
    const session = await http('/auth/session', { method: 'POST', body: { apiKey: reader.key } });
    const readerSession = { cookie: cookieOf(session), 'x-contox-csrf': '1' };
    expect((await http('/api/billing/credits', { headers: readerSession })).status).toBe(200);
    expect((await spend(readerSession)).status).toBe(403);
    expect((await spend(owner)).status).toBe(200);

    const revoked = await http(`/api/account/api-keys/${reader.id}`, { method: 'DELETE', headers: owner });
    expect(revoked.status).toBe(200);
    expect((await http('/api/billing/credits', { headers: asReader })).status).toBe(401);
    expect((await http('/api/billing/credits', { headers: readerSession })).status).toBe(401);
  });

  it('keys create|list|revoke, members add|list and accounts list, in text and JSON', async () => {
    const created = await json<{ account: { id: string } }>(
      billing(env, 'accounts', 'create', '--name', 'Beta', '--owner-email', 'bob@beta.test', '--json'),
    );
    const account = created.account.id;
    const key = await json<{ id: string; key: string; scopes: string[] }>(
      billing(env, 'keys', 'create', '--account', account, '--name', 'ingest', '--scopes', 'usage,read', '--json'),
    );
    expect(key.scopes).toEqual(['read', 'usage']);
    const listed = await billing(env, 'keys', 'list', '--account', account);
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).not.toContain(key.key);
    // The server caches the key once it has used it; a revocation from the command line still reaches it at
    // once (NOTIFY), long before the cache would let the key go by itself (10 s after it was cached).
    const asKey = { authorization: `Bearer ${key.key}` };
    const cachedAt = Date.now();
    expect((await http('/api/billing/credits', { headers: asKey })).status).toBe(200);
    expect((await billing(env, 'keys', 'revoke', '--account', account, '--id', key.id)).stdout).toBe(
      `revoked ${key.id}\n`,
    );
    while ((await http('/api/billing/credits', { headers: asKey })).status === 200) {
      expect(Date.now() - cachedAt, 'the server took the revoked key until its cache expired').toBeLessThan(10_000);
    }
    expect((await http('/api/billing/credits', { headers: asKey })).status).toBe(401);

    const added = await json<{ signInUrl: string }>(
      billing(env, 'members', 'add', '--account', account, '--email', 'carol@beta.test', '--role', 'admin', '--json'),
    );
    expect((await fetch(added.signInUrl, { redirect: 'manual' })).status).toBe(302);
    const members = await json<{ members: { email: string; role: string }[] }>(
      billing(env, 'members', 'list', '--account', account, '--json'),
    );
    expect(members.members.map((m) => [m.email, m.role])).toEqual([
      ['bob@beta.test', 'owner'],
      ['carol@beta.test', 'admin'],
    ]);
    // Through the workspace script, as the README shows it.
    const viaPnpm = await run('pnpm', ['billing', 'accounts', 'list', '--json'], repoDir, env);
    expect(viaPnpm.code, viaPnpm.stderr).toBe(0);
    const all = JSON.parse(viaPnpm.stdout) as { accounts: { id: string }[] };
    expect(all.accounts.map((a) => a.id)).toContain(account);
  });

  it('refusals: their reason and code on stderr, exit 1; a bad command line, exit 2 with the usage', async () => {
    const refused = await billing(env, 'sign-in-link', '--account', 'acc_none', '--email', 'x@x.test');
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toContain('has no member x@x.test (not_found)');
    const invalid = await billing(env, 'accounts', 'create', '--name', 'X', '--owner-email', 'not-an-email');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('owner.email');
    const unknown = await billing(env, 'keys', 'lst');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: pnpm billing');
  });
});

describe('pnpm billing on the embedded data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'contox-billing-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('works on it, and refuses clearly while a server holds it', async () => {
    const env = { DATA_DIR: dir, DATABASE_URL: '' };
    const made = await billing(env, 'accounts', 'create', '--name', 'Solo', '--owner-email', 's@solo.test');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^API key key_\w+ {2}contox_sk_\S+ {2}\(shown once\)$/m);
    // As a running server holds it (this test process is alive, so its lock is live).
    const lock = lockDataDir(dir);
    try {
      const refused = await billing(env, 'accounts', 'list');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`The data folder ${dir} is in use by another Contox Billing server`);
      expect(refused.stderr).toContain('Stop the server');
    } finally {
      lock.release();
    }
  });

  it('a bootstrap key without demo mode stops the start, naming the variable', async () => {
    const started = await spawnServer({
      DATABASE_URL: 'postgres://127.0.0.1:5432/unused',
      BILLING_DEMO: '',
      BILLING_BOOTSTRAP_API_KEY: 'contox_sk_fixedkeyfortests00000001',
    }).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(started).toMatch(/^server exited with 1:/);
    expect(started).toMatch(/BILLING_BOOTSTRAP_API_KEY: fixes the demo account’s key, and demo mode is off/);
  });
});
