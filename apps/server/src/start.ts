import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  type BillingDeps,
  type Config,
  createBillingHandler,
  createLogger,
  demoMode,
  ensureDemoAccess,
  type Logger,
  loadCatalog,
  startWebhookDispatcher,
  syncCatalog,
} from '@contox/api';
import type { Catalog } from '@contox/core';
import type { DatabaseHandle } from '@contox/db';
import type { RunningEmulator } from '@contox/stripe-emulator';
import { createAppServer } from './app';
import { connectStripe, type StripeConnection } from './connect-stripe';
import { lockDataDir } from './data-dir-lock';
import { openMigratedDatabase } from './open-database';
import { scheduleReconciler } from './reconciler';

/** How long requests already received get to be answered on shutdown (within `docker stop`'s 10 s). */
export const DRAIN_BUDGET_MS = 8_000;

export interface RunningBilling {
  url: string;
  port: number;
  /** Demo mode only (the embedded database, or BILLING_DEMO=1): the demo owner's key and a sign-in link. */
  demo: { apiKey: string; signInUrl: string } | null;
  /** Whether `/api/admin/*` answers (BILLING_ADMIN_TOKEN is set). */
  operatorApi: boolean;
  database: DatabaseHandle;
  databaseWhere: string;
  stripeWhere: string;
  emulator: RunningEmulator | null;
  log: Logger;
  /**
   * Stops taking connections, answers every request already received (up to DRAIN_BUDGET_MS), then stops the
   * emulator (saving its state) and closes the database. Resolves to the number of requests cut off.
   */
  close(): Promise<number>;
}

export interface StartOverrides {
  /** Tests hand in their own database (a clone of the migrated template, or a fresh one). */
  database?: DatabaseHandle;
  now?: () => Date;
  log?: Logger;
}

/** What start has opened so far, closed last-opened first on shutdown or when a later step fails. */
type Closer = () => Promise<unknown> | unknown;

interface Backends {
  database: DatabaseHandle;
  databaseWhere: string;
  stripe: StripeConnection;
}

/**
 * The database and Stripe. Without DATABASE_URL both keep their state in DATA_DIR (embedded Postgres, the
 * emulator's snapshot beside it), so the folder is locked first: two servers on it would drift apart.
 */
async function openBackends(
  config: Config,
  overrides: StartOverrides,
  log: Logger,
  opened: Closer[],
): Promise<Backends> {
  const dataDir = overrides.database || config.DATABASE_URL ? null : resolve(config.DATA_DIR);
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    const lock = lockDataDir(dataDir);
    opened.push(() => lock.release());
  }
  const db = overrides.database
    ? { handle: overrides.database, where: `${overrides.database.kind} Postgres (provided)` }
    : await openMigratedDatabase(config);
  if (!overrides.database) opened.push(() => db.handle.close());
  const stripe = await connectStripe(config, log, dataDir && join(dataDir, 'stripe-emulator.json'));
  if (stripe.emulator) opened.push(stripe.emulator.stop);
  return { database: db.handle, databaseWhere: db.where, stripe };
}

/** How this machine reaches an address the server listens on: a wildcard one through loopback. */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']);

async function listen(server: Server, config: Config): Promise<{ port: number; defaultUrl: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = LOCAL_HOSTS.has(config.HOST) ? 'localhost' : reachableHost(config.HOST);
  return { port, defaultUrl: `http://${host}:${port}` };
}

/**
 * The billing clock. With the emulator it is the emulator's own, so the two never disagree and operators can move
 * both at once (`POST /api/dev/clock/advance`); with real Stripe, or a clock a test hands in, there is no test clock.
 */
function clockOf(overrides: StartOverrides, emulator: RunningEmulator | null): Pick<BillingDeps, 'now' | 'testClock'> {
  if (overrides.now) return { now: overrides.now };
  if (!emulator) return { now: () => new Date() };
  const { clock } = emulator;
  return {
    now: () => new Date(clock.nowMs()),
    testClock: { advance: async (seconds) => new Date(await clock.advance(seconds)) },
  };
}

function depsOf(
  config: Config,
  backends: Backends,
  catalog: Catalog,
  log: Logger,
  clock: Pick<BillingDeps, 'now' | 'testClock'>,
) {
  let appUrl = config.APP_URL ?? '';
  const deps: BillingDeps = {
    database: backends.database,
    catalog,
    stripe: backends.stripe.stripe,
    log,
    ...clock,
    config: {
      ALLOWED_REDIRECT_ORIGINS: config.ALLOWED_REDIRECT_ORIGINS,
      RATE_LIMIT_PER_MINUTE: config.RATE_LIMIT_PER_MINUTE,
      BILLING_ADMIN_TOKEN: config.BILLING_ADMIN_TOKEN,
      METRICS_TOKEN: config.METRICS_TOKEN,
      TRUST_PROXY: config.TRUST_PROXY,
      STRIPE_WEBHOOK_SECRET: backends.stripe.webhookSecret,
      get appUrl() {
        return appUrl;
      },
    },
  };
  // The default public URL names the port, known only once listening.
  return { deps, setDefaultUrl: (url: string) => (appUrl ||= url) };
}

async function startWith(config: Config, overrides: StartOverrides, log: Logger, opened: Closer[]) {
  const catalog = loadCatalog(config);
  const backends = await openBackends(config, overrides, log, opened);
  const { stripe, database } = backends;
  const clock = clockOf(overrides, stripe.emulator);
  const { now } = clock;
  // A new emulator starts empty, a restored one finds its prices; real Stripe gets them from `sync-prices`.
  if (stripe.emulator) await syncCatalog(stripe.stripe, catalog);
  const { deps, setDefaultUrl } = depsOf(config, backends, catalog, log, clock);
  const app = createAppServer(createBillingHandler(deps), log, () => deps.config.appUrl);
  opened.push(() => app.server.close());
  const { port, defaultUrl } = await listen(app.server, config);
  const appUrl = setDefaultUrl(defaultUrl);
  if (stripe.emulator && stripe.webhookSecret) {
    await stripe.emulator.control.setWebhook({
      url: `http://${reachableHost(config.HOST)}:${port}/api/billing/webhook`,
      secret: stripe.webhookSecret,
    });
  }
  // With a real database and no demo flag nothing is seeded and no secret is printed.
  const demo = demoMode(config)
    ? await ensureDemoAccess(database.db, { bootstrapApiKey: config.BILLING_BOOTSTRAP_API_KEY, now: now() })
    : null;
  // Stopped before the database closes (closers run last-opened first).
  opened.push(scheduleReconciler(deps, log));
  // Outgoing webhooks: every process delivers the outbox (claims never overlap); stopped before the database.
  const webhooks = startWebhookDispatcher(deps);
  opened.push(() => webhooks.stop());
  return { app, port, appUrl, backends, demo };
}

export async function startBilling(config: Config, overrides: StartOverrides = {}): Promise<RunningBilling> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const opened: Closer[] = [];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) await close();
  };
  const started = await startWith(config, overrides, log, opened).catch(async (err: unknown) => {
    await closeOpened();
    throw err;
  });
  const { app, port, appUrl, backends, demo } = started;
  return {
    url: appUrl,
    port,
    demo: demo && { apiKey: demo.apiKey, signInUrl: `${appUrl}/auth/sign-in?token=${demo.signInToken}` },
    operatorApi: config.BILLING_ADMIN_TOKEN !== undefined,
    database: backends.database,
    databaseWhere: backends.databaseWhere,
    stripeWhere: backends.stripe.description,
    emulator: backends.stripe.emulator,
    log,
    async close() {
      const cut = await app.drain(DRAIN_BUDGET_MS);
      await closeOpened();
      return cut;
    },
  };
}
