import { defineConfig } from 'vitest/config';

// Each file boots embedded Postgres (a few seconds) and the Stripe emulator; two files run at a time on 2 cores.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
