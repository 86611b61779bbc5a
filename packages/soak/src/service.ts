import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ALL_SCOPES,
  type BillingDeps,
  createAccount,
  createApiKey,
  createBillingHandler,
  createLogger,
  syncCatalog,
} from '@contox/api';
import { defaultCatalog, type PlanId } from '@contox/core';
import { schema } from '@contox/db';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '@contox/db/testing';
import { type RunningEmulator, startStripeEmulator } from '@contox/stripe-emulator';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';

const WEBHOOK_SECRET = 'whsec_soak';

/**
 * Where every run's calendar starts: a 31st, so month ends clamp (Feb 28, Apr 30) from the first month on,
 * and a fixed date, so a seed replays on the same calendar. Four years later keeps the leap-year cycle
 * once the real date has passed it (the emulator's clock only moves forward).
 */
function calendarStart(nowSeconds: number): number {
  let start = Date.UTC(2030, 0, 31, 10, 0, 0) / 1000;
  while (start < nowSeconds + 86_400) start = Date.UTC(new Date(start * 1000).getUTCFullYear() + 4, 0, 31, 10) / 1000;
  return start;
}

export type Card = 'pm_card_visa' | 'pm_card_chargeCustomerFail' | null;

export interface SoakAccount {
  accountId: string;
  key: string;
  customerId: string;
  createdAt: Date;
  /** Started on the free plan and buys its plan through checkout; the others are given theirs directly. */
  subscribes: boolean;
}

/**
 * The service's clock is the emulator's: both are the wall clock plus the same whole seconds of offset,
 * moved together, so Stripe's periods and the service's "now" never disagree about which one it is.
 */
export class SoakClock {
  offsetSeconds = 0;

  now(): Date {
    return new Date((Math.floor(Date.now() / 1000) + this.offsetSeconds) * 1000);
  }
}

/**
 * The billing service in this process on a database of the chosen kind, with its own Stripe emulator.
 * `stripe` is the service's client, retrying as production does; `admin` is the soak's own, without
 * retries, so its look-ups never consume a fault meant for the service. `restart` drops the HTTP server
 * and everything held in memory (spend queue, principal cache, rate limits) and starts a new one on the
 * same database, as a process restart would.
 */
export class SoakService {
  readonly clock = new SoakClock();
  readonly stripe: Stripe;
  readonly admin: Stripe;
  url = '';
  private server: Server | null = null;

  private constructor(
    readonly db: TestDatabase,
    readonly emulator: RunningEmulator,
  ) {
    const at = { host: emulator.host, port: emulator.port, protocol: 'http' as const };
    this.stripe = new Stripe('sk_test_soak', { ...at, maxNetworkRetries: 2 });
    this.admin = new Stripe('sk_test_soak_admin', { ...at, maxNetworkRetries: 0 });
  }

  static async start(kind: TestDatabaseKind): Promise<SoakService> {
    const [db, emulator] = await Promise.all([createTestDatabase(kind), startStripeEmulator({ port: 0 })]);
    const service = new SoakService(db, emulator);
    const now = await emulator.control.now();
    await service.advance(calendarStart(now) - now);
    await syncCatalog(service.admin, defaultCatalog);
    await service.listen();
    return service;
  }

  /** Moves both clocks; the emulator runs the renewals and cancellations that fall due on the way. */
  async advance(seconds: number): Promise<void> {
    await this.emulator.control.advanceClock(seconds);
    this.clock.offsetSeconds += seconds;
  }

  private async listen(): Promise<void> {
    const deps: BillingDeps = {
      database: this.db,
      catalog: defaultCatalog,
      stripe: this.stripe,
      config: {
        ALLOWED_REDIRECT_ORIGINS: [],
        RATE_LIMIT_PER_MINUTE: 1_000_000,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        appUrl: 'http://localhost:3000',
      },
      now: () => this.clock.now(),
      // The operators' test clock (POST /api/dev/clock/advance): the soak moves time through the API.
      testClock: {
        advance: async (seconds) => {
          await this.advance(seconds);
          return this.clock.now();
        },
      },
      log: createLogger('silent'),
    };
    const handler = createBillingHandler(deps);
    const server = createServer((req, res) => {
      handler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await this.emulator.control.setWebhook({ url: `${this.url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
  }

  private async stopServer(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  async restart(): Promise<void> {
    await this.stopServer();
    await this.listen();
  }

  async close(): Promise<void> {
    await this.emulator.stop();
    await this.stopServer();
    await this.db.close();
  }

  /** An account with its owner key and a Stripe customer: on `plan` directly, or free to subscribe later. */
  async account(plan: PlanId, n: number): Promise<SoakAccount> {
    const createdAt = this.clock.now();
    const a = await createAccount(this.db.db, {
      name: `Soak ${n}`,
      ownerEmail: `soak${n}@example.com`,
      ownerName: 'Soak',
      createdAt,
    });
    const key = await createApiKey(this.db.db, {
      accountId: a.accountId,
      memberId: a.ownerId,
      name: 'soak',
      scopes: ALL_SCOPES,
    });
    const customer = await this.admin.customers.create({ name: `Soak ${n}`, metadata: { accountId: a.accountId } });
    await this.db.db
      .update(schema.accounts)
      .set({ plan, stripeCustomerId: customer.id })
      .where(eq(schema.accounts.id, a.accountId));
    return { accountId: a.accountId, key, customerId: customer.id, createdAt, subscribes: plan === 'free' };
  }

  async setCard(customerId: string, card: Card): Promise<void> {
    for (const pm of (await this.admin.paymentMethods.list({ customer: customerId, type: 'card' })).data) {
      await this.admin.paymentMethods.detach(pm.id);
    }
    const pm = card ? await this.admin.paymentMethods.attach(card, { customer: customerId }) : null;
    await this.admin.customers.update(customerId, { invoice_settings: { default_payment_method: pm?.id ?? '' } });
  }

  async call(method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** Submits a page form the way a browser does, and answers where it redirects to. */
  async submitPage(url: string, fields: Record<string, string>): Promise<{ status: number; location: string | null }> {
    const res = await fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
    await res.arrayBuffer();
    return { status: res.status, location: res.headers.get('location') };
  }
}
