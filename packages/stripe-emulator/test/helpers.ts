import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
// By path: this package does not depend on @contox/db, only on its one-line time factor.
import { scaled } from '../../db/src/testing/time-scale';
import { type RunningEmulator, type StartOptions, startStripeEmulator } from '../src/index';

export const WEBHOOK_SECRET = 'whsec_test_emulator_secret';

export function sdk(emu: RunningEmulator, extra: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe('sk_test_emulator', {
    host: emu.host,
    port: emu.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    ...extra,
  });
}

export interface Received {
  body: string;
  signature: string;
  event: Stripe.Event;
}

/** A local webhook endpoint; `respond` decides the status for each delivery (default 200). */
export class Receiver {
  readonly received: Received[] = [];
  respond: (r: Received, attempt: number) => number = () => 200;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r: Received = {
          body,
          signature: String(req.headers['stripe-signature'] ?? ''),
          event: JSON.parse(body) as Stripe.Event,
        };
        this.received.push(r);
        const attempt = this.received.filter((x) => x.event.id === r.event.id).length;
        res.writeHead(this.respond(r, attempt));
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
    return this;
  }

  ofType(type: string): Received[] {
    return this.received.filter((r) => r.event.type === type);
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** Waits until every queued webhook was delivered (or given up on), and fails if that takes too long. */
export async function webhooksIdle(emu: RunningEmulator): Promise<void> {
  expect(await emu.control.waitForWebhooks(scaled(10_000))).toBe(true);
}

export async function waitFor<T>(fn: () => T | undefined | false, timeoutMs = scaled(5_000)): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface WithReceiver {
  emu: RunningEmulator;
  stripe: Stripe;
  receiver: Receiver;
  stop: () => Promise<void>;
}

export async function startWithReceiver(opts: StartOptions = {}): Promise<WithReceiver> {
  const receiver = await new Receiver().start();
  const emu = await startStripeEmulator({
    webhook: { url: receiver.url, secret: WEBHOOK_SECRET },
    retry: { baseMs: 20, maxAttempts: 5 },
    ...opts,
  });
  return {
    emu,
    stripe: sdk(emu),
    receiver,
    stop: async () => {
      await emu.stop();
      await receiver.stop();
    },
  };
}

// The objects the `use…` helpers return are filled in by `beforeAll`, after the test file has loaded: tests
// read their fields when they run and must not destructure them at the top of the file.

/** An emulator without webhooks for the tests of one file. */
export function useEmulator(): { emu: RunningEmulator; stripe: Stripe } {
  const env = {} as { emu: RunningEmulator; stripe: Stripe };
  beforeAll(async () => {
    env.emu = await startStripeEmulator();
    env.stripe = sdk(env.emu);
  });
  afterAll(async () => {
    await env.emu.stop();
  });
  return env;
}

/** An emulator with the catalogue seeded, delivering webhooks to a receiver that each test starts empty. */
export function useEmulatorWithCatalog(): WithReceiver & { catalog: Catalog } {
  const env = {} as WithReceiver & { catalog: Catalog };
  beforeAll(async () => {
    const started = await startWithReceiver();
    Object.assign(env, started, { catalog: await seedCatalog(started.stripe) });
  });
  afterAll(async () => {
    await env.stop();
  });
  beforeEach(() => {
    env.receiver.clear();
  });
  return env;
}

export interface Catalog {
  team: Stripe.Price;
  business: Stripe.Price;
  teamYearly: Stripe.Price;
}

function monthlyPrice(stripe: Stripe, name: string, unitAmount: number, lookupKey: string): Promise<Stripe.Price> {
  return stripe.prices.create({
    currency: 'eur',
    unit_amount: unitAmount,
    recurring: { interval: 'month' },
    product_data: { name },
    lookup_key: lookupKey,
  });
}

/** A product with monthly prices looked up by key, like the billing catalogue. */
export async function seedCatalog(stripe: Stripe): Promise<Catalog> {
  const team = await monthlyPrice(stripe, 'Team', 1500, 'team_monthly');
  const business = await monthlyPrice(stripe, 'Business', 3000, 'business_monthly');
  const teamYearly = await stripe.prices.create({
    currency: 'eur',
    unit_amount: 15000,
    recurring: { interval: 'year' },
    product: typeof team.product === 'string' ? team.product : team.product.id,
    lookup_key: 'team_yearly',
  });
  return { team, business, teamYearly };
}

/** Customer with a subscription started through checkout, like a real signup. */
export async function subscribe(
  stripe: Stripe,
  emu: RunningEmulator,
  price: Stripe.Price,
  quantity: number,
  card = '4242424242424242',
): Promise<{ session: Stripe.Checkout.Session; subscription: Stripe.Subscription; customer: string }> {
  const created = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: price.id, quantity }],
    customer_email: 'owner@example.com',
    client_reference_id: 'acct_123',
    metadata: { accountId: 'acct_123' },
    subscription_data: { metadata: { accountId: 'acct_123' } },
    success_url: 'http://app.local/billing/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.local/billing/cancel',
  });
  await emu.control.completeCheckout(created.id, card);
  const session = await stripe.checkout.sessions.retrieve(created.id, { expand: ['subscription'] });
  const subscription = session.subscription as Stripe.Subscription;
  return { session, subscription, customer: subscription.customer as string };
}
