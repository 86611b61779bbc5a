import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../db/src/testing/time-scale';

// The short soak: one round of steps per database kind; budgets stretch with TEST_TIME_SCALE.
export default defineConfig({ test: { testTimeout: scaled(120_000), hookTimeout: scaled(60_000) } });
