import { defineConfig } from 'vitest/config';

// Used only by `pnpm mutation core`; plain `vitest run` keeps the defaults.
export default defineConfig({
  test: { setupFiles: ['./test/mutation-setup.ts'] },
});
