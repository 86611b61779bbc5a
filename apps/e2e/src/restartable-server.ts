import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SpawnedServer, spawnServer } from '@contox/server/spawn';
import { assertDashboardBuilt, callApi } from './billing-server';

/** What one start of the server printed in its banner. */
export interface Banner {
  url: string;
  apiKey: string;
  signInUrl: string;
  emulatorUrl: string;
}

/**
 * The server as an operator runs it: `src/main.ts` in a process of its own (what `npm start` runs after its
 * install and build steps), on one data folder and one fixed port, so it can be stopped and started again
 * under a page that stays open. The in-process server of billing-server.ts cannot do that: SIGTERM is the
 * process's own shutdown path (main.ts), and a restart must load everything anew.
 */
export interface RestartableBilling {
  /** The banner of the running start (or of the last one, while stopped). */
  banner: Banner;
  /** The documented REST API with the demo key, as another Contox service calls it. */
  api<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T }>;
  /** SIGTERM, as an operator's restart sends it; resolves to the exit code once the process is gone. */
  terminate(): Promise<number | null>;
  /** Starts it again with the very same environment (data folder, port); resolves once its banner is out. */
  start(): Promise<Banner>;
  /** Stops whatever still runs and deletes the data folder. */
  close(): Promise<void>;
}

/** A port nothing listens on right now, so both starts can be given the same PORT, as a deployment fixes it. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, () => resolve());
  });
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function bannerOf(server: SpawnedServer): Banner {
  const out = server.output();
  const signInUrl = /Sign in:\s+(\S+)/.exec(out)?.[1];
  const emulatorUrl = /Stripe emulator at (\S+)/.exec(out)?.[1];
  if (!signInUrl || !emulatorUrl) throw new Error(`no sign-in link or emulator in the banner:\n${out}`);
  return { url: server.url, apiKey: server.apiKey, signInUrl, emulatorUrl };
}

export async function startRestartableBilling(): Promise<RestartableBilling> {
  assertDashboardBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'contox-e2e-restart-'));
  const host = '127.0.0.1';
  // The embedded database and the emulator's snapshot live in DATA_DIR; both starts get exactly this.
  const env = { DATA_DIR: dataDir, HOST: host, PORT: String(await freePort(host)) };
  let server = await spawnServer(env);
  let banner = bannerOf(server);
  return {
    get banner() {
      return banner;
    },
    api: <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
      callApi<T>(banner.url, banner.apiKey, method, path, body),
    async terminate() {
      server.child.kill('SIGTERM');
      await server.exited;
      return server.child.exitCode;
    },
    async start() {
      server = await spawnServer(env);
      banner = bannerOf(server);
      return banner;
    },
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
