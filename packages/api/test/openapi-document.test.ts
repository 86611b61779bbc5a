import { readFileSync } from 'node:fs';
import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { COMMITTED_BASE_URL, COMMITTED_DOCUMENT } from '../src/http/committed-document';
import { SCALAR_SCRIPT_PATH } from '../src/http/docs-page';
import { openApiDocument } from '../src/http/openapi-document';
import { useHarness } from './harness';

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown; examples?: unknown }>; headers?: object }>;
}

const generated = openApiDocument(COMMITTED_BASE_URL);
const operations = Object.entries(generated.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ name: `${method} ${path}`, op })),
);

describe('the OpenAPI document', () => {
  it('committed in docs/openapi.json is the generated one (else: pnpm --filter @contox/api openapi)', () => {
    expect(JSON.parse(readFileSync(COMMITTED_DOCUMENT, 'utf8'))).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it.each(operations)('$name has an example request and answer, and every answer its headers', ({ op }) => {
    const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
    expect(success.length).toBeGreaterThan(0);
    for (const status of success) expect(op.responses[status]!.content?.['application/json']?.example).toBeDefined();
    const body = op.requestBody?.content['application/json'];
    if (body) expect(body.example).toBeDefined();
    const query = (op.parameters ?? []).filter((p) => p.in !== 'header');
    if (query.length) expect(query.filter((p) => p.example !== undefined).length).toBeGreaterThan(0);
    for (const [status, answer] of Object.entries(op.responses)) {
      expect(Object.keys(answer.headers ?? {}), status).toEqual(
        expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-Request-Id']),
      );
      if (status === '429') expect(Object.keys(answer.headers ?? {})).toContain('Retry-After');
    }
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['429', '500']));
    expect(op.security).toBeDefined();
  });

  it('names the Idempotency-Key header of a purchase and the statuses of a spend with their meaning', () => {
    const paths = generated.paths as Record<string, Record<string, Operation>>;
    const purchase = paths['/api/billing/credits/purchase']!.post!;
    expect(purchase.parameters?.map((p) => `${p.in} ${p.name}`)).toContain('header Idempotency-Key');
    const spend = paths['/api/billing/credits/spend']!.post!;
    const codes = (status: string) =>
      Object.keys((spend.responses[status]!.content!['application/json']!.examples ?? {}) as object);
    expect(codes('402')).toEqual(['insufficient_credits']);
    expect(codes('409')).toEqual(['idempotency_conflict']);
    expect(codes('401')).toEqual(['unauthenticated']);
    expect(Object.keys(spend.responses).sort()).toEqual(
      ['200', '400', '401', '402', '403', '409', '413', '415', '429', '500'].sort(),
    );
  });
});

describe.each(testDatabaseKinds().slice(0, 1))('the served document and docs page on %s', (kind) => {
  const harness = useHarness(kind);

  it('/api/openapi.json is the document with this service in servers, and counts against the rate limit', async () => {
    const h = harness();
    const res = await h.fetch('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument(h.deps.config.appUrl))));
    expect((res.body as { servers: unknown }).servers).toEqual([
      { url: h.deps.config.appUrl, description: 'This service (APP_URL)' },
    ]);
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(Number(res.headers.get('x-ratelimit-limit')));
    const wrong = await h.fetch('/api/openapi.json', { method: 'POST', body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect(wrong.body).toEqual({ error: expect.stringContaining('not allowed'), code: 'method_not_allowed' });
  });

  it('/api/docs is the reference page on our own copy of its script (no other origin), rate-limited too', async () => {
    const h = harness();
    const page = await h.fetch('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-ratelimit-limit')).not.toBeNull();
    const html = page.body as string;
    expect(html).toContain(`<script src="${SCALAR_SCRIPT_PATH}"></script>`);
    expect(html).toContain('data-configuration=');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await fetch(`${h.url}${SCALAR_SCRIPT_PATH}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });
});
