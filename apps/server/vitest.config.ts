import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../../packages/db/src/testing/time-scale';

// Every test starts real server processes (embedded Postgres or a migration each); TEST_TIME_SCALE stretches
// the budgets on a busy machine.
// Two files at a time (vitest's default on 2 cores is one): a file spends much of its time waiting for the
// processes it started, and each file has its own data folders, databases and ports (PORT 0), so two files
// never share anything but the machine.
export default defineConfig({
  test: { testTimeout: scaled(120_000), hookTimeout: scaled(120_000), maxWorkers: 2 },
});
