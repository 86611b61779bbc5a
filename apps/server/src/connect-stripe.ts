import { randomBytes } from 'node:crypto';
import { type Config, type Logger, observeStripe } from '@contox/api';
import { type RunningEmulator, startStripeEmulator } from '@contox/stripe-emulator';
import Stripe from 'stripe';

export interface StripeConnection {
  stripe: Stripe;
  webhookSecret: string | undefined;
  emulator: RunningEmulator | null;
  description: string;
}

/**
 * The one way the service builds its Stripe client, with the SDK retrying a failed call twice (a dropped
 * connection or a 5xx) under the same idempotency key. The test harness builds its client here too, so the
 * outage behaviour the tests verify is the one production has.
 */
export function createStripeClient(secretKey: string, emulator?: { host: string; port: number }): Stripe {
  const stripe = new Stripe(secretKey, {
    maxNetworkRetries: 2,
    ...(emulator ? { host: emulator.host, port: emulator.port, protocol: 'http' as const } : {}),
  });
  // Every request it makes is counted and timed in /metrics.
  observeStripe(stripe);
  return stripe;
}

/**
 * Real Stripe with STRIPE_SECRET_KEY; otherwise the local emulator, reached by the same SDK over HTTP. With
 * `snapshotFile` the emulator keeps its customers, subscriptions and payments there across restarts, as the
 * database beside it keeps their ids.
 */
export async function connectStripe(
  config: Config,
  log: Logger,
  snapshotFile: string | null,
): Promise<StripeConnection> {
  if (config.STRIPE_SECRET_KEY) {
    if (!config.STRIPE_WEBHOOK_SECRET) log.warn('STRIPE_WEBHOOK_SECRET is not set: webhooks will be refused');
    const stripe = createStripeClient(config.STRIPE_SECRET_KEY);
    observeStripe(stripe, log);
    return {
      stripe,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET,
      emulator: null,
      description: 'Stripe (live API)',
    };
  }
  const emulator = await startStripeEmulator({
    port: config.STRIPE_EMULATOR_PORT,
    ...(snapshotFile ? { snapshotFile } : {}),
  });
  const webhookSecret = config.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('hex')}`;
  const stripe = createStripeClient('sk_test_emulator', emulator);
  observeStripe(stripe, log);
  return {
    stripe,
    webhookSecret,
    emulator,
    description: `Stripe emulator at ${emulator.url} (STRIPE_SECRET_KEY is not set)`,
  };
}
