import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCatalog } from '@contox/core';
import { createTestDatabase, scaled, type TestDatabase, type TestDatabaseKind } from '@contox/db/testing';
import { type RunningEmulator, startStripeEmulator } from '@contox/stripe-emulator';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
// A relative import: @contox/server depends on this package, so it cannot be a dependency of its tests.
import { createStripeClient } from '../../../apps/server/src/connect-stripe';
import { createAccount } from '../src/services/accounts/create-account';
import { createApiKey } from '../src/services/auth/create-api-key';
import { ALL_SCOPES } from '../src/services/auth/keys';
import type { BillingDeps } from '../src/deps';
import { createBillingHandler } from '../src/http/billing-handler';
import { createLogger } from '../src/logger';
import type { AppRouter } from '../src/routers/root';
import { syncCatalog } from '../src/stripe/catalog-sync';

export const WEBHOOK_SECRET = 'whsec_test';
/** How long a test waits for the emulator's queued webhooks to be delivered and answered. */
export const WEBHOOK_BUDGET_MS = scaled(15_000);

export interface Harness {
  db: TestDatabase;
  deps: BillingDeps;
  url: string;
  /** A Stripe emulator of its own, delivering webhooks to this server's `/api/billing/webhook`. */
  emulator: RunningEmulator;
  clock: { now: Date };
  /** A fresh account with its owner key. */
  account(opts?: { name?: string }): Promise<{ accountId: string; ownerId: string; key: string }>;
  fetch(
    path: string,
    init?: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    body: unknown;
    headers: Headers;
  }>;
  trpc(key: string): ReturnType<typeof createTRPCClient<AppRouter>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Default 1,000: enough that no test but the rate-limit ones meets it. */
  rateLimitPerMinute?: number;
  /** BILLING_ADMIN_TOKEN: enables the operator API. */
  adminToken?: string;
  /**
   * The service reads the emulator's clock, as the server does with the emulator, and offers the test clock
   * (`POST /api/dev/clock/advance`); `clock` is then unused. Default: a fixed clock the test sets.
   */
  linkedClock?: boolean;
}

export async function startHarness(kind: TestDatabaseKind, opts: HarnessOptions = {}): Promise<Harness> {
  const [db, emulator] = await Promise.all([createTestDatabase(kind), startStripeEmulator({ port: 0 })]);
  const clock = { now: new Date('2026-01-15T10:00:00Z') };
  // The client production builds, SDK retries included: an injected fault meets the retries it would meet
  // in production, and an outage is as many faults in a row as the SDK makes attempts (`stripeAttempts`).
  const stripe = createStripeClient('sk_test_harness', emulator);
  const deps: BillingDeps = {
    database: db,
    catalog: defaultCatalog,
    stripe,
    config: {
      ALLOWED_REDIRECT_ORIGINS: [],
      RATE_LIMIT_PER_MINUTE: opts.rateLimitPerMinute ?? 1000,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BILLING_ADMIN_TOKEN: opts.adminToken,
      appUrl: 'http://localhost:3000',
    },
    now: () => clock.now,
    log: createLogger('silent'),
    ...(opts.linkedClock
      ? {
          now: () => new Date(emulator.clock.nowMs()),
          testClock: { advance: async (seconds: number) => new Date(await emulator.clock.advance(seconds)) },
        }
      : {}),
  };
  const handler = createBillingHandler(deps);
  const server: Server = createServer((req, res) => {
    handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  // As apps/server does: Node's 5 s default closes idle keep-alive sockets while fetch may be reusing one
  // (ECONNRESET on a busy machine, after a slow step of a test left the connection idle).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await emulator.control.setWebhook({ url: `${url}/api/billing/webhook`, secret: WEBHOOK_SECRET });
  await syncCatalog(stripe, defaultCatalog);
  let n = 0;
  return {
    db,
    deps,
    url,
    emulator,
    clock,
    async account(opts = {}) {
      n += 1;
      const a = await createAccount(db.db, {
        name: opts.name ?? `Account ${n}`,
        ownerEmail: `owner${n}@example.com`,
        ownerName: 'Owner',
        createdAt: deps.now(),
      });
      const key = await createApiKey(db.db, {
        accountId: a.accountId,
        memberId: a.ownerId,
        name: 'test',
        scopes: ALL_SCOPES,
      });
      return { ...a, key };
    },
    async fetch(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.key) headers.authorization = `Bearer ${init.key}`;
      if (init.body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined
          ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
          : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: res.status, body, headers: res.headers };
    },
    trpc(key) {
      return createTRPCClient<AppRouter>({
        links: [httpLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${key}` } })],
      });
    },
    async close() {
      await emulator.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
    },
  };
}

/**
 * One harness for a describe block: started before its tests, closed after them and, with
 * `settleBetween`, every queued webhook delivered before each test so none lands in the next one.
 */
export function useHarness(
  kind: TestDatabaseKind,
  opts: { settleBetween?: boolean } & HarnessOptions = {},
): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(kind, opts);
  });
  afterAll(() => h?.close());
  if (opts.settleBetween) {
    beforeEach(async () => {
      expect(await h!.emulator.control.waitForWebhooks(WEBHOOK_BUDGET_MS)).toBe(true);
    });
  }
  return () => h!;
}
