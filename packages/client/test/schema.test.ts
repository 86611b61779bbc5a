import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_PATHS } from '../src/index';

const root = fileURLToPath(new URL('..', import.meta.url));
const documentPath = join(root, '../../docs/openapi.json');

describe('the generated types', () => {
  it('are those of the committed document (else: pnpm --filter @contox/billing-client generate)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'billing-client-')), 'schema.ts');
    execFileSync(join(root, 'node_modules/.bin/openapi-typescript'), [documentPath, '--output', out], { cwd: root });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(root, 'src/schema.ts'), 'utf8'));
  });

  it('make an idempotency key for exactly the operations documented to take an Idempotency-Key header', () => {
    const doc = JSON.parse(readFileSync(documentPath, 'utf8')) as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    };
    const documented = Object.entries(doc.paths)
      .filter(([, item]) =>
        Object.values(item).some((op) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')),
      )
      .map(([path]) => path);
    expect([...IDEMPOTENCY_KEY_PATHS].sort()).toEqual(documented.sort());
  });

  it('README lists every error code of the document with its status', () => {
    const doc = JSON.parse(readFileSync(documentPath, 'utf8')) as {
      components: { schemas: { ErrorCode: { enum: string[] } } };
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
    };
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows.map(([code]) => code).sort()).toEqual([...doc.components.schemas.ErrorCode.enum].sort());
    const statusOf = new Map<string, number>();
    for (const item of Object.values(doc.paths))
      for (const op of Object.values(item))
        for (const [status, answer] of Object.entries(op.responses)) {
          const examples = (answer.content as Record<string, { examples?: object }> | undefined)?.['application/json']
            ?.examples;
          for (const code of Object.keys(examples ?? {})) statusOf.set(code, Number(status));
        }
    for (const [code, status] of rows)
      if (statusOf.has(code as string)) expect(status, code as string).toBe(statusOf.get(code as string));
  });
});
