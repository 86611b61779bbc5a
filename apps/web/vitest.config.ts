import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
// By path: the config is loaded by Node before any TypeScript loader, and a workspace package's .ts is not bundled.
import { scaled } from '../../packages/db/src/testing/time-scale';

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    // Component tests only: the browser journey lives in @contox/e2e and needs a running server.
    include: ['test/**/*.test.{ts,tsx}'],
    // Vitest's own defaults (5 s a test, 10 s a hook), stretched by TEST_TIME_SCALE on a busy machine.
    testTimeout: scaled(5_000),
    hookTimeout: scaled(10_000),
  },
});
