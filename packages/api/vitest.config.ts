import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../db/src/testing/time-scale';

// Each file boots embedded Postgres (a few seconds) and the Stripe emulator; two files run at a time on 2 cores.
// TEST_TIME_SCALE stretches the budgets on a busy machine.
export default defineConfig({
  test: {
    testTimeout: scaled(60_000),
    hookTimeout: scaled(120_000),
    maxWorkers: 2,
    // The two workers each run file after file in one process instead of a fresh process per file: loading the
    // service's modules (and compiling PGlite and the contract's schemas) once per worker instead of once per
    // file halves the suite's CPU time. Every file builds its own servers, databases and emulators and closes
    // them; what src keeps at module level is keyed by database or client, but for the metrics registry, whose test reads differences.
    isolate: false,
    // Every REST answer a test receives is checked against the OpenAPI document (test/contract).
    setupFiles: ['test/contract/setup.ts'],
  },
});
