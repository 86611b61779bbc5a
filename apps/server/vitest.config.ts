import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../../packages/db/src/testing/time-scale';

// Every test starts real server processes (embedded Postgres or a migration each); TEST_TIME_SCALE stretches
// the budgets on a busy machine.
export default defineConfig({ test: { testTimeout: scaled(120_000), hookTimeout: scaled(120_000) } });
