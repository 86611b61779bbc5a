import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type Stripe from 'stripe';
import { Clock } from './clock';
import { Faults } from './faults';
import { type IdempotencyEntry, IdempotencyStore } from './idempotency';
import { type RetryOptions, WebhookDispatcher, type WebhookConfig } from './webhooks';

export type CardBehaviour =
  | 'succeed'
  | 'decline'
  | 'insufficient_funds'
  | 'charge_customer_fail'
  | 'auth_unless_setup'
  | 'auth_always';

/** What the emulator remembers about a card beyond what the PaymentMethod object shows. */
export interface CardState {
  behaviour: CardBehaviour;
  offSessionReady: boolean;
}

export interface CheckoutLine {
  price: string;
  quantity: number;
}

export interface CheckoutExtra {
  lines: CheckoutLine[];
  subscriptionMetadata: Record<string, string>;
  /** `payment_intent_data` of a payment-mode session: what its PaymentIntent is created with. */
  paymentIntentData?: {
    metadata: Record<string, string>;
    description: string | null;
    setupFutureUsage: 'off_session' | 'on_session' | null;
  };
  /** Who paid, kept while a 3-D Secure challenge is waiting for the payer's answer. */
  payer?: { email: string | null; name: string | null };
}

/** A proration waiting for the next renewal invoice. */
export interface PendingLine {
  amount: number;
  description: string;
  price: string;
  quantity: number;
  periodStart: number;
  periodEnd: number;
  subscriptionItem: string;
}

export class Store {
  customers = new Map<string, Stripe.Customer>();
  products = new Map<string, Stripe.Product>();
  prices = new Map<string, Stripe.Price>();
  checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  checkoutExtras = new Map<string, CheckoutExtra>();
  portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  portalConfigurations = new Map<string, Stripe.BillingPortal.Configuration>();
  subscriptions = new Map<string, Stripe.Subscription>();
  paymentMethods = new Map<string, Stripe.PaymentMethod>();
  cards = new Map<string, CardState>();
  paymentIntents = new Map<string, Stripe.PaymentIntent>();
  charges = new Map<string, Stripe.Charge>();
  invoices = new Map<string, Stripe.Invoice>();
  invoicePayments = new Map<string, Stripe.InvoicePayment>();
  setupIntents = new Map<string, Stripe.SetupIntent>();
  events = new Map<string, Stripe.Event>();
  pendingLines = new Map<string, PendingLine[]>();

  private maps(): Record<string, Map<string, unknown>> {
    return {
      customers: this.customers,
      products: this.products,
      prices: this.prices,
      checkoutSessions: this.checkoutSessions,
      checkoutExtras: this.checkoutExtras,
      portalSessions: this.portalSessions,
      portalConfigurations: this.portalConfigurations,
      subscriptions: this.subscriptions,
      paymentMethods: this.paymentMethods,
      cards: this.cards,
      paymentIntents: this.paymentIntents,
      charges: this.charges,
      invoices: this.invoices,
      invoicePayments: this.invoicePayments,
      setupIntents: this.setupIntents,
      events: this.events,
      pendingLines: this.pendingLines,
    };
  }

  clear(): void {
    for (const m of Object.values(this.maps())) m.clear();
  }

  toJSON(): Record<string, [string, unknown][]> {
    const out: Record<string, [string, unknown][]> = {};
    for (const [name, m] of Object.entries(this.maps())) out[name] = [...m.entries()];
    return out;
  }

  /**
   * Restores a snapshot. Decimal fields come back as strings, which is harmless because the
   * emulator only ever serialises them again.
   */
  load(data: Record<string, [string, unknown][]>): void {
    const maps = this.maps();
    for (const [name, entries] of Object.entries(data)) {
      const m = maps[name];
      if (!m || !Array.isArray(entries)) continue;
      m.clear();
      for (const [k, v] of entries) m.set(k, v);
    }
  }
}

/** The snapshot file: everything a restarted emulator needs to answer as the stopped one would have. */
interface Snapshot {
  clockOffset?: number;
  /** The base of the URLs handed out, so a restart can come back where they point. */
  publicUrl?: string;
  store?: Record<string, [string, unknown][]>;
  /** Stripe honours an idempotency key for 24 hours, restarts or not: a retry must not charge twice. */
  idempotency?: [string, IdempotencyEntry][];
}

export interface EmulatorOptions {
  publicUrl: string;
  webhook?: WebhookConfig | null;
  retry?: Partial<RetryOptions>;
  snapshotFile?: string;
}

/** Everything one request (or one clock step) needs: the emulator and who caused the change. */
export interface Ctx {
  em: Emulator;
  requestId: string | null;
  idempotencyKey: string | null;
  /** Fixed time for work done "at" a past boundary while the clock advances. */
  at: number | null;
}

export class Emulator {
  readonly store = new Store();
  readonly clock = new Clock();
  readonly faults = new Faults();
  readonly idempotency = new IdempotencyStore();
  readonly webhooks: WebhookDispatcher;
  publicUrl: string;
  /** The public URL of the emulator whose snapshot was loaded, if any. */
  restoredUrl: string | null = null;
  private readonly snapshotFile: string | undefined;
  private snapshotTimer: NodeJS.Timeout | null = null;
  /** Events of the loaded snapshot that no endpoint acknowledged yet, delivered once one is configured. */
  private undelivered: string[] = [];

  constructor(opts: EmulatorOptions) {
    this.publicUrl = opts.publicUrl.replace(/\/$/, '');
    this.snapshotFile = opts.snapshotFile;
    this.webhooks = new WebhookDispatcher(opts.retry ?? {}, this.faults, (eventId) => {
      const event = this.store.events.get(eventId);
      if (event) event.pending_webhooks = 0;
      this.scheduleSnapshot();
    });
    this.loadSnapshot();
    this.setWebhook(opts.webhook ?? null);
  }

  /**
   * Sets the endpoint. The first one set after a restart also gets the events the stopped emulator had not
   * delivered, in the order they happened, as Stripe keeps retrying an endpoint that was down.
   */
  setWebhook(config: WebhookConfig | null): void {
    this.webhooks.setConfig(config);
    if (!config) return;
    const ids = this.undelivered;
    this.undelivered = [];
    for (const id of ids) {
      const event = this.store.events.get(id);
      if (event) this.webhooks.redeliver(event);
    }
  }

  ctx(requestId: string | null = null, idempotencyKey: string | null = null, at: number | null = null): Ctx {
    return { em: this, requestId, idempotencyKey, at };
  }

  reset(): void {
    this.store.clear();
    this.clock.reset();
    this.faults.reset();
    this.idempotency.clear();
    this.webhooks.reset();
    this.undelivered = [];
    this.scheduleSnapshot();
  }

  /** Coalesces writes: a burst of mutations produces one file write. */
  scheduleSnapshot(): void {
    if (!this.snapshotFile || this.snapshotTimer) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      this.writeSnapshot();
    }, 50);
  }

  writeSnapshot(): void {
    if (!this.snapshotFile) return;
    if (this.snapshotTimer) {
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = null;
    }
    const data: Snapshot = {
      clockOffset: this.clock.offset,
      publicUrl: this.publicUrl,
      store: this.store.toJSON(),
      idempotency: this.idempotency.toJSON(),
    };
    // Written aside and renamed over the old one: a process killed mid-write leaves the previous snapshot whole.
    const partial = `${this.snapshotFile}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(data));
    renameSync(partial, this.snapshotFile);
  }

  private loadSnapshot(): void {
    if (!this.snapshotFile || !existsSync(this.snapshotFile)) return;
    const data = JSON.parse(readFileSync(this.snapshotFile, 'utf8')) as Snapshot;
    if (data.store) this.store.load(data.store);
    if (data.idempotency) this.idempotency.load(data.idempotency);
    if (data.publicUrl) this.restoredUrl = data.publicUrl;
    if (typeof data.clockOffset === 'number' && data.clockOffset > 0) this.clock.advance(data.clockOffset);
    this.undelivered = [...this.store.events.values()].filter((e) => e.pending_webhooks > 0).map((e) => e.id);
  }
}

export function nowOf(ctx: Ctx): number {
  return ctx.at ?? ctx.em.clock.now();
}

/**
 * Deep copy through JSON: what a client would see, and it turns SDK Decimal values into their
 * string wire form, so stored objects are never shared with responses or events.
 */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
