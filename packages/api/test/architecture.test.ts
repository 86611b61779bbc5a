import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/**
 * The layers of the api, top to bottom. A request goes downward: HTTP, then a procedure, then a service that
 * orchestrates Stripe and one transaction, then the data layer. A file may import its own layer or lower ones.
 * Files at the root of src (config, deps, logger, ids, errors) are the bottom; index.ts is the package's face.
 */
const LAYERS = ['http', 'routers', 'webhook', 'services', 'stripe', 'store', '.'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const layerOf = (file: string) => {
  const top = relative(SRC, file).split('/');
  return top.length === 1 ? '.' : top[0]!;
};

const rank = (layer: string) => {
  const i = LAYERS.indexOf(layer);
  if (i < 0) throw new Error(`src/${layer} is in no layer: add it to LAYERS`);
  return i;
};

const importsOf = (text: string) => [...text.matchAll(/^(import|export)\s[^;]*?from\s+'([^']+)'/gms)];

const files = sourceFiles(SRC).filter((f) => relative(SRC, f) !== 'index.ts');

describe('the shape of packages/api/src', () => {
  it('never imports a layer above the importing file (type imports included)', () => {
    const upward: string[] = [];
    for (const file of files) {
      for (const [, , spec] of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec!.startsWith('.')) continue;
        const target = resolve(dirname(file), spec!);
        if (rank(layerOf(target)) < rank(layerOf(file))) upward.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has SQL only in the data layer: no run-time drizzle-orm import outside src/store', () => {
    const outside = files.filter(
      (f) => layerOf(f) !== 'store' && /^import\s+(?!type\b)[^;]*from\s+'drizzle-orm/m.test(readFileSync(f, 'utf8')),
    );
    expect(outside.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('keeps one procedure per file, named <verb>-<noun>.ts, with its schemas in a .types.ts file', () => {
    const misnamed = files
      .filter((f) => layerOf(f) === 'routers' && /Procedure\s*\n?\s*\.meta\(/.test(readFileSync(f, 'utf8')))
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        const procedures = text.match(/=\s*(read|usage|owner|public|admin|member)\w*Procedure\b/g) ?? [];
        return procedures.length !== 1 || !/^[a-z]+(-[a-z]+)+\.ts$/.test(f.split('/').pop()!);
      });
    expect(misnamed.map((f) => relative(SRC, f))).toEqual([]);
  });
});
