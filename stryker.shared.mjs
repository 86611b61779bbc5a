// Settings both mutation targets share (packages/core and packages/api); each package's stryker.config.mjs
// adds what it mutates and which tests it runs. `pnpm mutation [core|api]` runs them from the package.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const shared = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  // The sandbox sits beside packages/, at the same depth as a package: plain `vitest run` in a package never
  // collects its copies of the tests, and `extends: "../../tsconfig.base.json"` still resolves. Stryker's
  // tsconfig rewrite assumes a sandbox inside the package, so it is pointed at a file that does not exist.
  tempDirName: '../../.stryker-tmp',
  tsconfigFile: 'no-rewrite-needed.json',
  // A mutant that loops forever is caught either way; the margin keeps a busy machine from turning slow runs
  // into timeouts, which would count as detected without any test having failed.
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 100, low: 95, break: null },
};
