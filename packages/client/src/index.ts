import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import createClient, { type Client } from 'openapi-fetch';
import { ok } from './errors';
import { type RetryOptions, retryingFetch } from './retry';
import type { paths } from './schema';

export { apiError, BillingApiError, type ErrorCode, ok } from './errors';
export { retryAfterSeconds } from './retry';
// Receivers of Contox Billing's webhooks verify Contox-Signature with this (five minutes' tolerance).
export { SIGNATURE_HEADER, verifyWebhook, WebhookSignatureError } from '@contox/webhooks';
export type { components, paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type SpendPath = paths['/api/billing/credits/spend']['post'];
type PurchasePath = paths['/api/billing/credits/purchase']['post'];
export type SpendInput = Omit<Json<SpendPath['requestBody']>, 'idempotencyKey'> & { idempotencyKey?: string };
export type SpendResult = Json<SpendPath['responses'][200]>;
export type PurchaseResult = Json<PurchasePath['responses'][200]>;

/** The operations that take an `Idempotency-Key` header: the client makes one when the caller gave none. */
export const IDEMPOTENCY_KEY_PATHS: ReadonlySet<string> = new Set(['/api/billing/credits/purchase']);

export interface BillingClientOptions {
  /** The service's URL, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** `contox_sk_…`; leave out for the public catalogue only. */
  apiKey?: string;
  retries?: Partial<RetryOptions>;
  /** The transport (default: globalThis.fetch). */
  fetch?: (request: Request) => Promise<Response>;
}

/** Gives a change that takes an `Idempotency-Key` header a fresh one, kept by every retry of it. */
function withIdempotencyKey(request: Request): Request {
  if (request.method === 'GET' || request.headers.has('idempotency-key')) return request;
  if (!IDEMPOTENCY_KEY_PATHS.has(new URL(request.url).pathname)) return request;
  const headers = new Headers(request.headers);
  headers.set('idempotency-key', randomUUID());
  return new Request(request, { headers });
}

/**
 * The typed client: `api` is openapi-fetch over every documented path (`{ data, error, response }`, both typed);
 * `spend` and `purchase` make the idempotency key themselves and throw BillingApiError on failure.
 * 429 and 503 answers are retried after `Retry-After`.
 */
export function createBillingClient(options: BillingClientOptions) {
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const retry: RetryOptions = { retries: 3, maxDelaySeconds: 60, sleep: (ms) => sleep(ms), ...options.retries };
  const retrying = retryingFetch(send, retry);
  const api: Client<paths> = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    fetch: (request) => retrying(withIdempotencyKey(request)),
  });
  return {
    api,
    /** Spends tokens (plan allowance first, then credits); the same `idempotencyKey` never spends twice. */
    spend: (input: SpendInput): Promise<SpendResult> =>
      ok(
        api.POST('/api/billing/credits/spend', {
          body: { ...input, idempotencyKey: input.idempotencyKey ?? randomUUID() },
        }),
      ),
    /** Buys a credit pack with the saved card; a retry with the same `idempotencyKey` never charges twice. */
    purchase: (packId: string, opts: { idempotencyKey?: string } = {}): Promise<PurchaseResult> =>
      ok(
        api.POST('/api/billing/credits/purchase', {
          body: { packId },
          params: { header: { 'Idempotency-Key': opts.idempotencyKey ?? randomUUID() } },
        }),
      ),
  };
}

export type BillingClient = ReturnType<typeof createBillingClient>;
