// Mutation testing of the whole domain core: every mutant in src must be killed by a test or be listed as
// equivalent in docs/mutation.md. Run it with `pnpm mutation core` from the repository root.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker.vitest.config.ts' },
  mutate: ['src/**/*.ts'],
  coverageAnalysis: 'perTest',
  // Outside the package, so a plain `vitest run` here never collects the sandbox's copies of the tests.
  tempDirName: '../../.stryker-tmp/core',
  // The machine is shared by two cores; the core suite runs in seconds, so two workers are enough.
  concurrency: 2,
  // A mutant that loops forever is caught either way; a generous margin keeps a busy machine from turning
  // slow runs into timeouts (which would count as detected without any test failing).
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 100, low: 95, break: null },
};
