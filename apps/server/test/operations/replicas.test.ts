import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../../src/spawn-server';
import { eventually } from './helpers';

const KEY = 'contox_sk_replicas_shared_limit_0001';
const LIMIT = 20;

async function call(
  server: SpawnedServer,
  path: string,
  init: { key?: string; method?: string; body?: unknown; cookie?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.method && init.method !== 'GET' && init.cookie) headers['x-contox-csrf'] = '1';
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => null)) as Record<string, unknown>,
    headers: res.headers,
  };
}

/**
 * Two server processes on one Postgres database, as two replicas behind a load balancer: whatever must hold for
 * the service as a whole (the rate limit, a revocation, a sign-out) holds across them.
 */
describe.runIf(testDatabaseKinds().includes('postgres'))('two server processes on one Postgres', () => {
  let db: TestDatabase;
  let a: SpawnedServer;
  let b: SpawnedServer;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const env = { DATABASE_URL: db.url!, BILLING_BOOTSTRAP_API_KEY: KEY, RATE_LIMIT_PER_MINUTE: String(LIMIT) };
    // One after the other: the first migrates and seeds, the second finds it done.
    a = await spawnServer(env);
    b = await spawnServer(env);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
  });

  /** A key of its own for each test, so each starts with a fresh window. */
  async function newKey(name: string): Promise<{ id: string; key: string }> {
    const created = await call(a, '/api/account/api-keys', {
      key: KEY,
      method: 'POST',
      body: { name, scopes: ['read', 'billing', 'usage'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; key: string };
  }

  it(`holds ${LIMIT} requests per minute for a client across both processes, exactly`, async () => {
    const { key } = await newKey('limit');
    for (let attempt = 0; ; attempt++) {
      // Three times the limit, alternating between the processes, all at once.
      const answers = await Promise.all(
        Array.from({ length: 3 * LIMIT }, (_, i) => call(i % 2 ? b : a, '/api/billing/credits', { key })),
      );
      const windows = new Set(answers.map((r) => r.headers.get('x-ratelimit-reset')));
      // A minute boundary inside the burst splits it over two windows: run it again in the next one.
      if (windows.size > 1 && attempt < 2) continue;
      expect(windows.size).toBe(1);
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2 * LIMIT);
      break;
    }
  });

  it('a key revoked on one process is refused by the other within a second, though it had cached it', async () => {
    const { id, key } = await newKey('revoked');
    expect((await call(b, '/api/account', { key })).status).toBe(200);
    expect((await call(b, '/api/account', { key })).status).toBe(200);
    const revoked = await call(a, `/api/account/api-keys/${id}`, { key: KEY, method: 'DELETE' });
    expect(revoked.status, JSON.stringify(revoked.body)).toBeLessThan(300);
    expect((await call(a, '/api/account', { key })).status).toBe(401);
    expect(await eventually(async () => (await call(b, '/api/account', { key })).status === 401, 1_000)).toBe(true);
  });

  it('a session signed out on one process is refused by the other at once', async () => {
    const { key } = await newKey('session');
    const signIn = await fetch(`${a.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: key }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect((await call(b, '/api/account', { cookie })).status).toBe(200);
    expect((await call(a, '/auth/sign-out', { cookie, method: 'POST', body: {} })).status).toBe(200);
    expect((await call(b, '/api/account', { cookie })).status).toBe(401);
  });
});
