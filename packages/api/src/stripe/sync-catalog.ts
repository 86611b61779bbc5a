import Stripe from 'stripe';
import { type Config, parseConfig } from '../config';
import { loadCatalog } from '../load-catalog';
import { syncCatalog } from './catalog-sync';

function stripeFor(config: Config): Stripe {
  if (config.STRIPE_SECRET_KEY) return new Stripe(config.STRIPE_SECRET_KEY, { maxNetworkRetries: 2 });
  if (config.STRIPE_EMULATOR_PORT) {
    const port = config.STRIPE_EMULATOR_PORT;
    return new Stripe('sk_test_emulator', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 2 });
  }
  throw new Error(
    'Set STRIPE_SECRET_KEY (the Stripe account to set prices in) or STRIPE_EMULATOR_PORT (a running emulator)',
  );
}

/**
 * Operator command (`pnpm --filter @contox/api sync-prices`): creates or updates the Stripe products and
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
