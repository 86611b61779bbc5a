import { defineConfig } from 'vitest/config';
import { scaled } from './src/testing/time-scale';

// On a fresh machine the first file builds the embedded-Postgres template (boot + migrations), which takes
// well over vitest's default 10 s hook budget while the other packages' suites share the 2 cores.
// TEST_TIME_SCALE stretches the budgets on a busy machine.
export default defineConfig({ test: { hookTimeout: scaled(120_000), testTimeout: scaled(60_000) } });
