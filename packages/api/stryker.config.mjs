// Mutation testing of the money paths of the API: spending, settling a payment, auto-recharge, usage
// recording. Every surviving mutant is killed by a test or listed in docs/mutation.md.
// `pnpm mutation api` from the repository root.
import { shared } from '../../stryker.shared.mjs';

// One database kind keeps a run practical on two cores: a real server migrates a fresh database per test
// file, which is quicker here than the embedded one's slower queries.
process.env.TEST_DATABASES ??= 'postgres';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...shared,
  vitest: { configFile: 'stryker.vitest.config.ts' },
  mutate: [
    'src/services/credits/spend-batch.ts',
    'src/services/credits/settle-payment.ts',
    'src/services/credits/auto-recharge-run.ts',
    'src/services/usage/record-usage.ts',
  ],
  // Only tests that drive these paths over HTTP; per-test coverage then runs, for each mutant, the ones
  // that reach it.
  testFiles: [
    'test/spend.test.ts',
    'test/spend-period.test.ts',
    'test/spend-isolation.test.ts',
    'test/auto-recharge.test.ts',
    'test/purchase.test.ts',
    'test/usage.test.ts',
    'test/documented/enterprise-spend.test.ts',
    'test/documented/spend-batch-faults.test.ts',
    'test/money/**/*.test.ts',
    'test/webhook-reread.test.ts',
    'test/reconcile-payments.test.ts',
  ],
  // Static mutants (module-level constants, here record-usage's COUNTED) were reported survived although the
  // tests fail when the same change is made by hand: their activation at module load does not reach this
  // setup. They are skipped here and checked by hand instead (docs/mutation.md).
  ignoreStatic: true,
  // Each test file boots a database and a Stripe emulator, so the first run of all of them takes minutes
  // on a busy machine; two workers, one per core.
  dryRunTimeoutMinutes: 30,
  concurrency: 2,
};
