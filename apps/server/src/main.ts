import { parseConfig } from '@contox/api';
import { DRAIN_BUDGET_MS, type RunningBilling, startBilling } from './start';

/** Past the drain, closing the emulator and the database gets this long before the process exits anyway. */
const CLOSE_BUDGET_MS = 1_500;

/** The demo's key and sign-in link, or, without demo mode, how to create the first account (nothing secret). */
function accessLines(running: RunningBilling): string[] {
  if (running.demo) {
    return [
      `  Sign in:      ${running.demo.signInUrl}`,
      `  Demo API key: ${running.demo.apiKey}`,
      ...commonLines(running),
      `  curl -H "Authorization: Bearer ${running.demo.apiKey}" ${running.url}/api/billing/credits`,
    ];
  }
  return [
    ...commonLines(running),
    '  No demo account (a real database without BILLING_DEMO=1). Create the first account and its owner:',
    '  pnpm billing accounts create --name "Acme" --owner-email you@acme.test',
  ];
}

function commonLines(running: RunningBilling): string[] {
  return [
    `  Database:     ${running.databaseWhere}`,
    `  Stripe:       ${running.stripeWhere}`,
    `  API docs:     ${running.url}/api/docs`,
    `  Operator API: ${running.operatorApi ? `${running.url}/api/admin (BILLING_ADMIN_TOKEN)` : 'off (set BILLING_ADMIN_TOKEN)'}`,
    '',
  ];
}

function printBanner(running: RunningBilling): void {
  process.stdout.write(
    ['', 'Contox Billing is running', `  Dashboard:    ${running.url}`, ...accessLines(running), ''].join('\n'),
  );
}

/**
 * SIGTERM or SIGINT: answer what was received, then close and exit 0; exit 1 if requests had to be cut off or
 * closing failed or hung. Only the first signal counts: a terminal's Ctrl-C reaches the server both directly
 * and forwarded by `npm start`, and a second one must not cut the first one's shutdown short.
 */
function stopOnSignals(running: RunningBilling): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    running.log.info('stopping: answering the requests in flight', { signal });
    setTimeout(() => {
      running.log.error('shutdown did not finish in time: exiting anyway', {
        budgetMs: DRAIN_BUDGET_MS + CLOSE_BUDGET_MS,
      });
      process.exit(1);
    }, DRAIN_BUDGET_MS + CLOSE_BUDGET_MS);
    running.close().then(
      (cut) => {
        if (cut === 0) running.log.info('stopped');
        process.exit(cut > 0 ? 1 : 0);
      },
      (err: unknown) => {
        running.log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(): Promise<void> {
  // The only read of the process environment: everything below gets a validated Config.
  const config = parseConfig(process.env);
  const running = await startBilling(config);
  printBanner(running);
  stopOnSignals(running);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
