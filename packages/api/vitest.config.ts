// A relative path: the config is bundled on its own, before workspace TypeScript can be resolved.
import { isDroppedConnectionWrite } from '../db/src/driver-faults';
import { defineConfig } from 'vitest/config';

// Each file boots embedded Postgres (a few seconds) and the Stripe emulator; two files run at a time on 2 cores.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // test/fire/db-connection-loss.test.ts cuts the service's database connections on purpose, and postgres.js
    // 3.4.9 then writes to a closed socket from a timer (porsager/postgres#1154). Only that error is let through.
    onUnhandledError: (error) => !isDroppedConnectionWrite(error),
  },
});
