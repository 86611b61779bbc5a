import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogTable, defaultCatalog } from '../src/index';

/** The repository root, found upwards, so the test also runs from a copy of the package (Stryker's sandbox). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no pnpm-workspace.yaml above the test file');
    dir = parent;
  }
  return dir;
}

/** A formatter pads Markdown table cells to align columns; the cells themselves are what must match. */
const cells = (markdown: string): string =>
  markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .map((cell) => cell.trim().replace(/^-+$/, '---'))
            .join('|')
        : line,
    )
    .join('\n');

describe('README', () => {
  it('lists exactly the default catalogue of the code', () => {
    const readme = readFileSync(join(repositoryRoot(), 'README.md'), 'utf8');
    expect(cells(readme)).toContain(cells(catalogTable(defaultCatalog).trim()));
  });
});
