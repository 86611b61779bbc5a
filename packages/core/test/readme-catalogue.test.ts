import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogTable, defaultCatalog } from '../src/index';

describe('README', () => {
  it('lists exactly the default catalogue of the code', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(catalogTable(defaultCatalog).trim());
  });
});
