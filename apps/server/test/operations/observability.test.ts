import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../../src/spawn-server';
import { eventually, ok } from './helpers';

const KEY = 'contox_sk_observability_test_0001';
const METRICS_TOKEN = 'metrics-token-of-the-test-000001';

type Line = Record<string, unknown>;

/** The JSON log lines the server wrote so far (the banner's plain lines left out). */
const logLines = (server: SpawnedServer): Line[] =>
  server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

const accessLines = (server: SpawnedServer) => logLines(server).filter((l) => l.msg === 'request');

async function get(server: SpawnedServer, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** One sample of a metric in the Prometheus text, by its labels (all of them, in any order). */
function sample(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return null;
}

describe.runIf(testDatabaseKinds().includes('postgres'))('request ids, access lines and /metrics', () => {
  let db: TestDatabase;
  let server: SpawnedServer;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    server = await spawnServer({
      DATABASE_URL: db.url!,
      BILLING_BOOTSTRAP_API_KEY: KEY,
      LOG_LEVEL: 'debug',
      METRICS_TOKEN,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  it('keeps a sane X-Request-Id, replaces any other, and echoes it', async () => {
    const kept = await get(server, '/healthz', { 'x-request-id': 'edge-7f3a:42' });
    expect(kept.headers.get('x-request-id')).toBe('edge-7f3a:42');
    for (const bad of ['x'.repeat(129), 'has space', 'quote"d', '']) {
      const replaced = await get(server, '/healthz', { 'x-request-id': bad });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{21}$/);
    }
    const a = (await get(server, '/healthz')).headers.get('x-request-id');
    const b = (await get(server, '/healthz')).headers.get('x-request-id');
    expect(a).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(a).not.toBe(b);
  });

  it('writes one access line per request, with the route, status, time and account; debug lines carry the id', async () => {
    const { account } = await ok<{ account: { id: string } }>(server, 'GET', '/api/account');
    const requestId = 'spend-observed-1';
    const res = await fetch(`${server.url}/api/billing/credits/spend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ amount: 5, description: 'observed', idempotencyKey: 'observed-1' }),
    });
    expect(res.status).toBe(200);
    await get(server, '/no/such/page', { 'x-request-id': 'spa-1' });
    const line = () => accessLines(server).filter((l) => l.requestId === requestId);
    expect(await eventually(() => line().length === 1, 5_000)).toBe(true);
    expect(line()[0]).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/api/billing/credits/spend',
      status: 200,
      accountId: account.id,
    });
    expect(typeof line()[0]!.ms).toBe('number');
    // The SPA's answers are logged too, under one route name whatever the path.
    expect(await eventually(() => accessLines(server).some((l) => l.requestId === 'spa-1'), 5_000)).toBe(true);
    expect(accessLines(server).find((l) => l.requestId === 'spa-1')).toMatchObject({ route: 'static' });
    const debug = logLines(server).filter((l) => l.level === 'debug' && l.requestId === requestId);
    expect(debug.map((l) => l.msg)).toContain('request received');
    // Stripe calls made while serving a request are debug lines carrying its id.
    const portal = await fetch(`${server.url}/api/billing/portal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': 'portal-1' },
      body: '{}',
    });
    expect(portal.status).toBe(200);
    const stripeLines = () => logLines(server).filter((l) => l.msg === 'stripe request' && l.requestId === 'portal-1');
    expect(await eventually(() => stripeLines().length > 0, 5_000)).toBe(true);
    expect(stripeLines().map((l) => `${l.method} ${l.path}`)).toContain('POST /v1/customers');
    // The batch serves many requests: its line names none of them.
    const batch = logLines(server).filter((l) => l.msg === 'spend batch committed');
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.every((l) => l.requestId === undefined)).toBe(true);
  });

  it('serves Prometheus metrics at /metrics only with the token', async () => {
    expect((await get(server, '/metrics')).status).toBe(401);
    expect((await get(server, '/metrics', { authorization: 'Bearer wrong-token-of-the-same-len' })).status).toBe(401);
    await ok(server, 'POST', '/api/billing/credits/spend', { amount: 3, description: 'm', idempotencyKey: 'm-1' });
    await ok(server, 'GET', '/api/billing/credits/summary');
    const metrics = await get(server, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.text;
    const route = '/api/billing/credits/spend';
    expect(sample(text, 'contox_http_requests_total', { route, method: 'POST', status: '200' })).toBeGreaterThan(0);
    expect(
      sample(text, 'contox_http_request_duration_seconds_count', { route, method: 'POST' }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'contox_spend_batch_size_count', {})).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'contox_spend_batch_duration_seconds_count', { outcome: 'committed' })).toBeGreaterThan(0);
    // Summary asks Stripe nothing for a free account, but start-up synced the catalogue's prices.
    expect(text).toMatch(/contox_stripe_requests_total\{method="GET",path="\/v1\/prices",status="200"\}/);
    expect(sample(text, 'contox_db_pool_size', {})).toBe(10);
    expect(sample(text, 'contox_db_connections', { state: 'idle' }) ?? 0).toBeGreaterThanOrEqual(0);
    expect(text).toContain('process_cpu_seconds_total');
    // A made-up path is counted under a fixed name, not its own.
    await get(server, '/api/made-up-path-1');
    const after = (await get(server, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).text;
    expect(after).not.toContain('made-up-path-1');
    expect(sample(after, 'contox_http_requests_total', { route: '/api (unknown)', status: '404' })).toBe(1);
  });
});
