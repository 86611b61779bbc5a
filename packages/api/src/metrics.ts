import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type Stripe from 'stripe';
import type { Logger } from './logger';

/**
 * The process's Prometheus metrics, served at `/metrics`. One registry per process: every part of the service
 * records into it directly, as it logs. Labels only ever take values from a fixed set (route templates,
 * known event types, SDK error types), so no caller can grow the series without bound.
 */
export const registry = new Registry();

let defaultsCollected = false;
/** Process metrics (CPU, memory, event-loop lag, heap): once per process, when the first service starts. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry });
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new Counter({
  name: 'contox_http_requests_total',
  help: 'HTTP requests answered, by route template, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'contox_http_request_duration_seconds',
  help: 'Time from a request arriving to its answer being sent, by route template and method',
  labelNames: ['route', 'method'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const spendBatchSize = new Histogram({
  name: 'contox_spend_batch_size',
  help: 'Spends written per group-commit transaction',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  registers: [registry],
});

export const spendBatchDuration = new Histogram({
  name: 'contox_spend_batch_duration_seconds',
  help: 'Time to write and commit one spend batch, retries included, by outcome',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const spendQueueWait = new Histogram({
  name: 'contox_spend_queue_wait_seconds',
  help: 'Time a spend waits in the group-commit queue before its batch starts writing',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const rateLimitWait = new Histogram({
  name: 'contox_rate_limit_wait_seconds',
  help: "Time a request waits for its rate-limit window's count (shared windows are counted in the database)",
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const webhookEvents = new Counter({
  name: 'contox_webhook_events_total',
  help: 'Stripe webhook deliveries by event type (types the service handles; "other" for the rest) and outcome',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

export const outgoingWebhookAttempts = new Counter({
  name: 'contox_outgoing_webhook_attempts_total',
  help: "Attempts to deliver our webhooks to the operator's endpoints, by event type and outcome (succeeded, retry, failed for good, abandoned at shutdown)",
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

export const stripeRequests = new Counter({
  name: 'contox_stripe_requests_total',
  help: 'HTTP requests made to Stripe, by method, path template and status',
  labelNames: ['method', 'path', 'status'] as const,
  registers: [registry],
});

export const stripeDuration = new Histogram({
  name: 'contox_stripe_request_duration_seconds',
  help: 'Duration of HTTP requests made to Stripe, by method and path template',
  labelNames: ['method', 'path'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const stripeErrors = new Counter({
  name: 'contox_stripe_errors_total',
  help: 'Stripe calls that failed after the SDK retries, by the SDK error type',
  labelNames: ['type'] as const,
  registers: [registry],
});

export const rateLimitRefusals = new Counter({
  name: 'contox_rate_limit_refusals_total',
  help: 'Requests answered 429, by what was over its limit: the client, or an IP whose credentials were refused',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** What the database gauges read at each scrape; set by the service that owns the database. */
export interface PoolSource {
  size: number;
  connections(): Promise<{ state: string; count: number }[]>;
}

let poolSource: PoolSource | null = null;
export const watchDatabasePool = (source: PoolSource): void => {
  poolSource = source;
};

new Gauge({
  name: 'contox_db_pool_size',
  help: 'Connections this process may open to the database (1 for the embedded database)',
  registers: [registry],
  collect() {
    if (poolSource) this.set(poolSource.size);
  },
});

new Gauge({
  name: 'contox_db_connections',
  help: 'Connections of every Contox Billing process to this database, by state (pg_stat_activity)',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const rows = poolSource ? await poolSource.connections().catch(() => []) : [];
    for (const { state, count } of rows) this.set({ state }, count);
  },
});

// A Stripe id (`cus_…`, `sub_…`, `cs_test_…`) in a path becomes `:id`: one series per endpoint, not per object.
const STRIPE_ID = /^[a-z]+_(?:test_|live_)?[A-Za-z0-9]{10,}$/;
export const stripePathTemplate = (path: string): string =>
  path
    .split('?')[0]!
    .split('/')
    .map((segment) => (STRIPE_ID.test(segment) ? ':id' : segment))
    .join('/');

const instrumented = new WeakSet<Stripe>();
const logged = new WeakSet<Stripe>();
/**
 * Every HTTP request the SDK makes (each retry included) is counted and timed, from the SDK's own events; with
 * `log`, each is also a debug line (inside a request, it carries the request's id).
 */
export function observeStripe(stripe: Stripe, log?: Logger): void {
  if (!instrumented.has(stripe)) {
    instrumented.add(stripe);
    stripe.on('response', (e: Stripe.ResponseEvent) => {
      const path = stripePathTemplate(e.path);
      stripeRequests.inc({ method: e.method, path, status: String(e.status) });
      stripeDuration.observe({ method: e.method, path }, e.elapsed / 1000);
    });
  }
  if (log && !logged.has(stripe)) {
    logged.add(stripe);
    stripe.on('response', (e: Stripe.ResponseEvent) => {
      log.debug('stripe request', {
        method: e.method,
        path: stripePathTemplate(e.path),
        status: e.status,
        ms: e.elapsed,
        stripeRequestId: e.request_id,
      });
    });
  }
}
