import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../db/src/testing/time-scale';

// The short soak: one schedule per database kind, ~12 s each plus start-up; TEST_TIME_SCALE stretches the
// budgets on a busy machine.
export default defineConfig({ test: { testTimeout: scaled(90_000), hookTimeout: scaled(60_000) } });
