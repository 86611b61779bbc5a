import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/security-headers';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

describe('the deploy documents', () => {
  it('.env.example and the README list every variable the configuration reads', () => {
    const config = read('../../../../packages/api/src/config.ts');
    // The schema's object, up to the cross-field checks that follow it, however the formatter indents it.
    const start = config.indexOf('const envSchema = z');
    const schema = config.slice(start, config.indexOf('.superRefine(', start));
    const variables = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(variables.length).toBeGreaterThan(10);
    const example = new Set(
      [...read('../../../../.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]),
    );
    expect(variables.filter((v) => !example.has(v))).toEqual([]);
    const readme = read('../../../../README.md');
    expect(variables.filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
  });

  it('sends HSTS only when the public URL is https', () => {
    const headersFor = (url: string) => {
      const set = new Map<string, unknown>();
      securityHeaders(() => url)({ setHeader: (k: string, v: unknown) => set.set(k, v) } as never);
      return set;
    };
    expect(headersFor('http://localhost:3000').has('Strict-Transport-Security')).toBe(false);
    expect(headersFor('https://billing.example.com').get('Strict-Transport-Security')).toMatch(/^max-age=\d+/);
  });
});
