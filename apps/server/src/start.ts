import type { AddressInfo } from 'node:net';
import {
  type Config,
  createBillingHandler,
  createLogger,
  ensureDemoAccess,
  type Logger,
  loadCatalog,
  syncCatalog,
} from '@contox/api';
import type { DatabaseHandle } from '@contox/db';
import type { RunningEmulator } from '@contox/stripe-emulator';
import { createAppServer } from './app';
import { connectStripe } from './connect-stripe';
import { openMigratedDatabase } from './open-database';

export interface RunningBilling {
  url: string;
  port: number;
  apiKey: string;
  signInUrl: string;
  database: DatabaseHandle;
  databaseWhere: string;
  stripeWhere: string;
  emulator: RunningEmulator | null;
  close(): Promise<void>;
}

export interface StartOverrides {
  /** Tests hand in their own database (a clone of the migrated template, or a fresh one). */
  database?: DatabaseHandle;
  now?: () => Date;
  log?: Logger;
}

export async function startBilling(config: Config, overrides: StartOverrides = {}): Promise<RunningBilling> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const now = overrides.now ?? (() => new Date());
  const catalog = loadCatalog(config);
  const opened = overrides.database
    ? { handle: overrides.database, where: `${overrides.database.kind} Postgres (provided)` }
    : await openMigratedDatabase(config);
  const database = opened.handle;
  const stripe = await connectStripe(config, log);
  // The emulator starts empty; real Stripe gets its prices from the operator's `sync-prices` command.
  if (stripe.emulator) await syncCatalog(stripe.stripe, catalog);

  let appUrl = config.APP_URL ?? '';
  const deps = {
    database,
    catalog,
    stripe: stripe.stripe,
    log,
    now,
    config: {
      ALLOWED_REDIRECT_ORIGINS: config.ALLOWED_REDIRECT_ORIGINS,
      RATE_LIMIT_PER_MINUTE: config.RATE_LIMIT_PER_MINUTE,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      get appUrl() {
        return appUrl;
      },
    },
  };
  const server = createAppServer(createBillingHandler(deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  appUrl ||= `http://localhost:${port}`;
  if (stripe.emulator && stripe.webhookSecret) {
    await stripe.emulator.control.setWebhook({
      url: `http://127.0.0.1:${port}/api/billing/webhook`,
      secret: stripe.webhookSecret,
    });
  }
  const demo = await ensureDemoAccess(database.db, { bootstrapApiKey: config.BILLING_BOOTSTRAP_API_KEY, now: now() });

  return {
    url: appUrl,
    port,
    apiKey: demo.apiKey,
    signInUrl: `${appUrl}/auth/sign-in?token=${demo.signInToken}`,
    database,
    databaseWhere: opened.where,
    stripeWhere: stripe.description,
    emulator: stripe.emulator,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stripe.emulator?.stop();
      if (!overrides.database) await database.close();
    },
  };
}
