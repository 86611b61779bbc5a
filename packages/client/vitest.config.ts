import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../db/src/testing/time-scale';

// Generating the types and starting the real server (embedded Postgres, Stripe emulator) take seconds.
export default defineConfig({
  test: {
    testTimeout: scaled(60_000),
    hookTimeout: scaled(120_000),
  },
});
