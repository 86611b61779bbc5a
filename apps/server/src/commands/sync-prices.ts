import { type Config, loadCatalog, parseConfig, syncCatalog } from '@contox/api';
import type Stripe from 'stripe';
import { createStripeClient } from '../connect-stripe';

function stripeFor(config: Config): Stripe {
  if (config.STRIPE_SECRET_KEY) return createStripeClient(config.STRIPE_SECRET_KEY);
  if (config.STRIPE_EMULATOR_PORT) {
    return createStripeClient('sk_test_emulator', { host: '127.0.0.1', port: config.STRIPE_EMULATOR_PORT });
  }
  throw new Error(
    'Set STRIPE_SECRET_KEY (the Stripe account to set prices in) or STRIPE_EMULATOR_PORT (a running emulator)',
  );
}

/**
 * Operator command (`pnpm --filter @contox/server sync-prices`): creates or updates the Stripe products and
 * prices of every paid plan, found by lookup key, from the same catalogue the server uses.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  for (const r of await syncCatalog(stripeFor(config), loadCatalog(config))) {
    process.stdout.write(`${r.action.padEnd(9)} ${r.lookupKey} ${r.priceId}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
