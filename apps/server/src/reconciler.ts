import { type BillingDeps, type Logger, reconcilePendingPayments, SETTLE_PENDING_AFTER_MS } from '@contox/api';

const EVERY_MS = 5 * 60_000;

/**
 * Nothing stays pending for ever: payments left pending past SETTLE_PENDING_AFTER_MS (an answer lost while
 * Stripe was down, a process that died mid-charge) are settled from Stripe on start and every five minutes.
 * Runs never overlap in one process; several processes may run at once (each settlement locks its row).
 * Returns the stop function, which waits for a run in progress.
 */
export function scheduleReconciler(deps: BillingDeps, log: Logger): () => Promise<void> {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= reconcilePendingPayments(deps, { olderThanMs: SETTLE_PENDING_AFTER_MS })
      .then((settled) => {
        if (settled.length > 0) log.info('pending payments reconciled', { settled });
      })
      .catch((err: unknown) => log.warn('reconciling pending payments failed', { error: String(err) }))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
