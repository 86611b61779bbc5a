import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../db/src/testing/time-scale';

// Vitest's own defaults (5 s a test, 10 s a hook), stretched by TEST_TIME_SCALE on a busy machine.
export default defineConfig({ test: { testTimeout: scaled(5_000), hookTimeout: scaled(10_000) } });
