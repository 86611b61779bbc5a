import { parseConfig } from '@contox/api';
import { isDroppedConnectionWrite } from '@contox/db';
import { startBilling } from './start';

// A dropped database connection can surface as a driver error outside any request (see isDroppedConnectionWrite):
// the request it belonged to already failed, so the server keeps serving. Anything else is a bug: stop.
process.on('uncaughtException', (err) => {
  if (isDroppedConnectionWrite(err)) {
    process.stderr.write(`database connection lost: ${err.message}\n`);
    return;
  }
  process.stderr.write(`${err.stack ?? String(err)}\n`);
  process.exit(1);
});

async function main(): Promise<void> {
  // The only read of the process environment: everything below gets a validated Config.
  const config = parseConfig(process.env);
  const running = await startBilling(config);
  process.stdout.write(
    [
      '',
      'Contox Billing is running',
      `  Dashboard:    ${running.url}`,
      `  Sign in:      ${running.signInUrl}`,
      `  Demo API key: ${running.apiKey}`,
      `  Database:     ${running.databaseWhere}`,
      `  Stripe:       ${running.stripeWhere}`,
      `  API docs:     ${running.url}/api/docs`,
      '',
      `  curl -H "Authorization: Bearer ${running.apiKey}" ${running.url}/api/billing/credits`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
