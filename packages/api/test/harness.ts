import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCatalog } from '@contox/core';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '@contox/db/testing';
import { type RunningEmulator, startStripeEmulator } from '@contox/stripe-emulator';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import Stripe from 'stripe';
import { createAccount } from '../src/accounts/create-account';
import { createApiKey } from '../src/auth/create-api-key';
import { ALL_SCOPES } from '../src/auth/keys';
import type { BillingDeps } from '../src/deps';
import { createBillingHandler } from '../src/http/billing-handler';
import { createLogger } from '../src/logger';
import type { AppRouter } from '../src/root';
import { syncCatalog } from '../src/stripe/catalog-sync';

export const WEBHOOK_SECRET = 'whsec_test';

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

export async function startHarness(kind: TestDatabaseKind): Promise<Harness> {
  const [db, emulator] = await Promise.all([createTestDatabase(kind), startStripeEmulator({ port: 0 })]);
  const clock = { now: new Date('2026-01-15T10:00:00Z') };
  // No SDK retries: a test that injects one fault sees exactly that fault.
  const stripe = new Stripe('sk_test_harness', {
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  const deps: BillingDeps = {
    database: db,
    catalog: defaultCatalog,
    stripe,
    config: {
      ALLOWED_REDIRECT_ORIGINS: [],
      RATE_LIMIT_PER_MINUTE: 1000,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      appUrl: 'http://localhost:3000',
    },
    now: () => clock.now,
    log: createLogger('silent'),
  };
  const handler = createBillingHandler(deps);
  const server: Server = createServer((req, res) => {
    handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
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
        createdAt: clock.now,
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
export function useHarness(kind: TestDatabaseKind, opts: { settleBetween?: boolean } = {}): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(kind);
  }, 60_000);
  afterAll(() => h?.close());
  if (opts.settleBetween) {
    beforeEach(async () => {
      await h!.emulator.control.waitForWebhooks(15_000);
    });
  }
  return () => h!;
}
