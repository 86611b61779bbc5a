// Mutation testing of the whole domain core: every mutant in src must be killed by a test or be listed as
// equivalent in docs/mutation.md. `pnpm mutation core` from the repository root.
import { shared } from '../../stryker.shared.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...shared,
  vitest: { configFile: 'stryker.vitest.config.ts' },
  mutate: ['src/**/*.ts'],
  // The core suite runs in seconds: two workers on the two cores.
  concurrency: 2,
};
