import { defineConfig } from 'vitest/config';

// Used only by `pnpm mutation api` (the package's vitest.config.ts imports a sibling package by relative path,
// which the mutation sandbox does not have). Budgets are wide: Stryker times each mutant on its own.
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
