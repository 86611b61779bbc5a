/**
 * One factor for every time budget in the suites (timeouts, waits for progress, banners). A busy or slow
 * machine sets `TEST_TIME_SCALE=3` and every budget grows together, instead of each test guessing its own
 * margin. Budgets are upper bounds on waiting for progress, never the thing a test measures.
 */
export function timeScale(): number {
  const raw = process.env.TEST_TIME_SCALE;
  if (raw === undefined || raw === '') return 1;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor < 1) throw new Error(`TEST_TIME_SCALE must be a number ≥ 1, got "${raw}"`);
  return factor;
}

/** `ms` stretched by `TEST_TIME_SCALE`. */
export function scaled(ms: number): number {
  return Math.round(ms * timeScale());
}
