import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import type { Faults } from './faults';

export interface WebhookConfig {
  url: string;
  secret: string;
}

export interface RetryOptions {
  baseMs: number;
  maxAttempts: number;
  /** Upper bound for one backoff step. */
  capMs?: number;
  /** How long one delivery attempt may take before it counts as failed. */
  attemptTimeoutMs?: number;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  attempt: number;
  status: number | null;
  error?: string;
  at: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  baseMs: 100,
  maxAttempts: 8,
  capMs: 10_000,
  attemptTimeoutMs: 5_000,
};

/** `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`, the format Stripe sends. */
export function signatureHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/**
 * Delivers events to one endpoint. First attempts go out one after another so deliveries
 * arrive in emission order unless a fault says otherwise; retries run on their own timers
 * so one failing event never blocks the rest.
 */
export class WebhookDispatcher {
  private config: WebhookConfig | null = null;
  private chain: Promise<void> = Promise.resolve();
  private held: Stripe.Event[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private controllers = new Set<AbortController>();
  private pending = 0;
  private waiters: (() => void)[] = [];
  // Bumped on reset/stop so work scheduled before it quietly ends instead of firing later.
  private generation = 0;
  readonly log: DeliveryRecord[] = [];
  private readonly retry: Required<RetryOptions>;

  constructor(
    retry: Partial<RetryOptions>,
    private readonly faults: Faults,
    private readonly onDelivered: (eventId: string) => void,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  setConfig(config: WebhookConfig | null): void {
    this.config = config;
  }

  getConfig(): WebhookConfig | null {
    return this.config;
  }

  get configured(): boolean {
    return this.config !== null;
  }

  dispatch(event: Stripe.Event): void {
    if (!this.config) return;
    const plan = this.faults.planDelivery();
    if (plan.drop) {
      this.log.push({
        eventId: event.id,
        type: event.type,
        attempt: 0,
        status: null,
        error: 'dropped',
        at: Date.now(),
      });
      return;
    }
    if (plan.hold) {
      this.held.push(event);
      if (this.faults.reorderPending === 0) {
        const batch = this.held.reverse();
        this.held = [];
        for (const e of batch) this.enqueue(e, 1, 0);
      }
      return;
    }
    this.enqueue(event, plan.copies, plan.delayMs);
  }

  redeliver(event: Stripe.Event): void {
    if (this.config) this.enqueue(event, 1, 0);
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  reset(): void {
    this.generation += 1;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
    this.held = [];
    this.log.length = 0;
    this.chain = Promise.resolve();
    this.pending = 0;
    this.flushWaiters();
  }

  stop(): void {
    this.reset();
    this.config = null;
  }

  private enqueue(event: Stripe.Event, copies: number, delayMs: number): void {
    const generation = this.generation;
    this.pending += copies;
    const start = () => {
      this.chain = this.chain.then(async () => {
        if (generation !== this.generation) return;
        const attempts: Promise<void>[] = [];
        for (let i = 0; i < copies; i++) attempts.push(this.attempt(event, 1, generation));
        await Promise.all(attempts);
      });
    };
    if (delayMs > 0) this.later(start, delayMs);
    else start();
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private async attempt(event: Stripe.Event, n: number, generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const config = this.config;
    if (!config) {
      this.settle();
      return;
    }
    const payload = JSON.stringify(event, null, 2);
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this.retry.attemptTimeoutMs);
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader(payload, config.secret),
        },
        body: payload,
        signal: controller.signal,
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
    if (generation !== this.generation) return;
    this.log.push({
      eventId: event.id,
      type: event.type,
      attempt: n,
      status,
      ...(error ? { error } : {}),
      at: Date.now(),
    });
    if (status !== null && status >= 200 && status < 300) {
      this.onDelivered(event.id);
      this.settle();
      return;
    }
    if (n >= this.retry.maxAttempts) {
      this.settle();
      return;
    }
    const backoff = Math.min(this.retry.baseMs * 2 ** (n - 1), this.retry.capMs);
    this.later(() => {
      void this.attempt(event, n + 1, generation);
    }, backoff);
  }

  private settle(): void {
    this.pending = Math.max(0, this.pending - 1);
    if (this.pending === 0) this.flushWaiters();
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
