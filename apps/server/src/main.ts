import { parseConfig } from '@contox/api';
import { startBilling } from './start';

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
