import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    // Component tests only: the browser journey lives in @contox/e2e and needs a running server.
    include: ['test/**/*.test.{ts,tsx}'],
  },
});
