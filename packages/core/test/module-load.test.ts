import { describe, expect, it } from 'vitest';

// The only test file that imports the core inside a test: if loading the package throws (a broken constant,
// the default catalogue), this is reported as a failing test rather than as a file with no tests at all.
describe('loading @contox/core', () => {
  it('evaluates every module and builds the frozen default catalogue', async () => {
    const core = await import('../src/index');
    expect(Object.keys(core.defaultCatalog.plans)).toEqual([...core.PLAN_IDS]);
    expect(Object.keys(core.defaultCatalog.packs)).toEqual([...core.PACK_IDS]);
    expect(Object.isFrozen(core.defaultCatalog)).toBe(true);
  });
});
