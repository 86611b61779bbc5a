import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../../src/spawn-server';

const KEY = 'contox_sk_rate_leases_processes_0001';
const LIMIT = 20;

async function call(server: SpawnedServer, path: string, headers: Record<string, string>, init: RequestInit = {}) {
  const res = await fetch(`${server.url}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
  await res.arrayBuffer();
  return { status: res.status, headers: res.headers };
}

/** Runs `burst` until it falls in one window (a minute boundary inside it splits the count), then tallies it. */
async function inOneWindow(burst: () => Promise<{ status: number; headers: Headers }[]>) {
  for (let attempt = 0; ; attempt++) {
    const answers = await burst();
    const windows = new Set(answers.map((r) => r.headers.get('x-ratelimit-reset')));
    if (windows.size > 1 && attempt < 2) continue;
    expect(windows.size).toBe(1);
    const count = (p: (s: number) => boolean) => answers.filter((r) => p(r.status)).length;
    return { admitted: count((s) => s !== 429), refused401: count((s) => s === 401), limited: count((s) => s === 429) };
  }
}

/**
 * The rate limit on three server processes sharing one Postgres (leases of
 * packages/api/src/services/limits/rate-leases.ts), as an adversary found it: what a client is (the key, not
 * the header's spelling), and what refused credentials cost (sign-in guesses too).
 */
describe.runIf(testDatabaseKinds().includes('postgres'))('rate limit across server processes', () => {
  let db: TestDatabase;
  let servers: SpawnedServer[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const env = {
      DATABASE_URL: db.url!,
      BILLING_BOOTSTRAP_API_KEY: KEY,
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      // One hop: X-Forwarded-For names the client, so each test has an address of its own.
      TRUST_PROXY: '1',
    };
    // One after the other: the first migrates and seeds.
    for (let i = 0; i < 3; i++) servers.push(await spawnServer(env));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
    await db?.close();
  });

  async function newKey(name: string): Promise<string> {
    const res = await fetch(`${servers[0]!.url}/api/account/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-forwarded-for': '10.1.0.1' },
      body: JSON.stringify({ name, scopes: ['read', 'billing', 'usage'] }),
    });
    const body = (await res.json()) as { key: string };
    expect(res.status, JSON.stringify(body)).toBe(201);
    return body.key;
  }

  it(`one API key gets at most ${LIMIT} requests a minute, however its Authorization header is spelt`, async () => {
    const key = await newKey('spellings');
    // All four are accepted as the same key (/^Bearer\s+(\S+)$/i), but each hashes to a client of its own.
    const spellings = ['Bearer ', 'bearer ', 'BEARER ', 'Bearer  '].map((b) => `${b}${key}`);
    const { admitted } = await inOneWindow(() =>
      Promise.all(
        Array.from({ length: 4 * LIMIT }, (_, i) =>
          call(servers[i % 3]!, '/api/billing/credits', {
            authorization: spellings[i % spellings.length]!,
            'x-forwarded-for': '10.1.0.2',
          }),
        ),
      ),
    );
    expect(admitted).toBe(LIMIT);
  });

  it(`one session gets at most ${LIMIT} requests a minute, whatever other cookies come with it`, async () => {
    const key = await newKey('session');
    const signIn = await fetch(`${servers[0]!.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.0.3' },
      body: JSON.stringify({ apiKey: key }),
    });
    expect(signIn.status).toBe(200);
    const session = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { admitted } = await inOneWindow(() =>
      Promise.all(
        Array.from({ length: 4 * LIMIT }, (_, i) =>
          call(servers[i % 3]!, '/api/billing/credits', {
            cookie: `${session}; theme=${i % 4}`,
            'x-forwarded-for': '10.1.0.3',
          }),
        ),
      ),
    );
    expect(admitted).toBe(LIMIT);
  });

  it(`wrong keys at sign-in count against the IP: after ${LIMIT} the IP is held back, on every process`, async () => {
    const signIn = (i: number, apiKey: string) =>
      fetch(`${servers[i % 3]!.url}/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.0.4' },
        body: JSON.stringify({ apiKey }),
      });
    for (let attempt = 0; ; attempt++) {
      // One after the other: each refusal is counted before the next guess is judged.
      const answers = [];
      for (let i = 0; i < LIMIT + 3; i++) answers.push(await signIn(i, `contox_sk_guess_${attempt}_${i}`));
      const windows = new Set(answers.map((r) => r.headers.get('x-ratelimit-reset')));
      if (windows.size > 1 && attempt < 2) continue;
      const statuses = answers.map((r) => r.status);
      expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
      expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
      // A right key from that IP waits for the window too.
      expect((await signIn(LIMIT + 3, KEY)).status).toBe(429);
      return;
    }
  });
});
