import { defineConfig } from 'vitest/config';

// On a fresh machine the first file builds the embedded-Postgres template (boot + migrations), which takes
// well over vitest's default 10 s hook budget while the other packages' suites share the 2 cores.
export default defineConfig({ test: { hookTimeout: 120_000, testTimeout: 60_000 } });
