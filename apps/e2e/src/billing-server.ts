import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '@contox/api';
// The server's own start function: the real stack (embedded Postgres, Stripe emulator, SPA) in this process.
import { type RunningBilling, startBilling } from '@contox/server';

export interface BillingUnderTest {
  running: RunningBilling;
  /** Calls the documented REST API with the demo key, as another Contox service would. */
  api<T = unknown>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; json: T }>;
  stop(): Promise<void>;
}

/** The server serves the built SPA; without it every page is a 404 and the journeys fail far from the cause. */
export function assertDashboardBuilt(): void {
  const spa = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));
  if (!existsSync(spa)) {
    // `pnpm test` at the root builds it first (turbo: test depends on ^build); a direct run may not have.
    throw new Error('The dashboard is not built: run `pnpm --filter @contox/web build` first');
  }
}

/** A documented REST call to the server at `baseUrl` with `key`, as another Contox service makes it. */
export async function callApi<T>(
  baseUrl: string,
  key: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as T };
}

/** The real server (embedded Postgres, Stripe emulator, built SPA) on a free port with a throwaway data folder. */
export async function startBillingUnderTest(): Promise<BillingUnderTest> {
  assertDashboardBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'contox-e2e-'));
  const running = await startBilling(parseConfig({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir }));
  return {
    running,
    api: <T>(method: 'GET' | 'POST', path: string, body?: unknown, key = running.demo!.apiKey) =>
      callApi<T>(running.url, key, method, path, body),
    async stop() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
