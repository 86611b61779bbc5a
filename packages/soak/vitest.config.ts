import { defineConfig } from 'vitest/config';

// The short soak: one schedule per database kind, ~12 s each plus start-up.
export default defineConfig({ test: { testTimeout: 90_000, hookTimeout: 60_000 } });
