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

export type Card = 'pm_card_visa' | 'pm_card_chargeCustomerFail' | null;

export interface SoakAccount {
  accountId: string;
  key: string;
  customerId: string;
  createdAt: Date;
}

/**
 * The billing service in this process on a database of the chosen kind, with its own Stripe emulator and a
 * clock the schedule moves. `restart` drops the HTTP server and everything held in memory (spend queue,
 * principal cache, rate limits) and starts a new one on the same database, as a process restart would.
 */
export class SoakService {
  readonly clock = { now: new Date('2026-01-15T10:00:00Z') };
  readonly stripe: Stripe;
  url = '';
  private server: Server | null = null;

  private constructor(
    readonly db: TestDatabase,
    readonly emulator: RunningEmulator,
  ) {
    this.stripe = new Stripe('sk_test_soak', {
      host: emulator.host,
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  }

  static async start(kind: TestDatabaseKind): Promise<SoakService> {
    const [db, emulator] = await Promise.all([createTestDatabase(kind), startStripeEmulator({ port: 0 })]);
    const service = new SoakService(db, emulator);
    await syncCatalog(service.stripe, defaultCatalog);
    await service.listen();
    return service;
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
      now: () => this.clock.now,
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

  /** An account on `plan` with its owner key and a Stripe customer, as a finished checkout leaves it. */
  async account(plan: PlanId, n: number): Promise<SoakAccount> {
    const createdAt = this.clock.now;
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
    const customer = await this.stripe.customers.create({ name: `Soak ${n}`, metadata: { accountId: a.accountId } });
    await this.db.db
      .update(schema.accounts)
      .set({ plan, stripeCustomerId: customer.id })
      .where(eq(schema.accounts.id, a.accountId));
    return { accountId: a.accountId, key, customerId: customer.id, createdAt };
  }

  async setCard(customerId: string, card: Card): Promise<void> {
    for (const pm of (await this.stripe.paymentMethods.list({ customer: customerId, type: 'card' })).data) {
      await this.stripe.paymentMethods.detach(pm.id);
    }
    const pm = card ? await this.stripe.paymentMethods.attach(card, { customer: customerId }) : null;
    await this.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: pm?.id ?? '' } });
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
}
