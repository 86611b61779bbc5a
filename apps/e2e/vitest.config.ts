import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../../packages/db/src/testing/time-scale';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One server and one browser per file; the steps of a journey run in order. TEST_TIME_SCALE stretches
    // the budgets on a busy machine.
    fileParallelism: false,
    testTimeout: scaled(120_000),
    hookTimeout: scaled(180_000),
  },
});
