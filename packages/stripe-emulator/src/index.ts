import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatorControl } from './control-client';
import { createEmulatorServer } from './server';
import { Emulator } from './state';

export { EmulatorControl, EmulatorControlError } from './control-client';
export type { ApiFaultKind } from './faults';
export { TEST_CARDS } from './resources/payment-methods';
export { signatureHeader } from './webhooks';
export type { DeliveryRecord } from './webhooks';

export interface StartOptions {
  /** 0 = random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  webhook?: { url: string; secret: string };
  /** Base for the URLs handed out (checkout, portal, invoices); defaults to the listen address. */
  publicUrl?: string;
  /** Load state from this JSON file at start and keep it updated. */
  snapshotFile?: string;
  retry?: { baseMs: number; maxAttempts: number };
}

export interface RunningEmulator {
  url: string;
  host: string;
  port: number;
  control: EmulatorControl;
  stop(): Promise<void>;
}

function listenAt(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Without a fixed port, an emulator restored from a snapshot tries the port its checkout, portal and invoice
 * URLs name, so a page a customer opened before the restart still answers after it.
 */
function restoredPort(em: Emulator, opts: StartOptions): number | null {
  if (opts.publicUrl || !em.restoredUrl) return null;
  return Number(new URL(em.restoredUrl).port) || null;
}

export async function startStripeEmulator(opts: StartOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const em = new Emulator({
    publicUrl: opts.publicUrl ?? '',
    webhook: opts.webhook ?? null,
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.snapshotFile ? { snapshotFile: opts.snapshotFile } : {}),
  });
  const server = createEmulatorServer(em);
  await listenAt(server, host, opts.port || restoredPort(em, opts) || 0).catch((err: NodeJS.ErrnoException) => {
    // The restored port is only a preference: another program may have taken it since.
    if (opts.port || err.code !== 'EADDRINUSE') throw err;
    return listenAt(server, host, 0);
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  if (!opts.publicUrl) em.publicUrl = url;
  let stopped = false;
  return {
    url,
    host,
    port,
    control: new EmulatorControl(url),
    async stop() {
      if (stopped) return;
      stopped = true;
      em.webhooks.stop();
      em.writeSnapshot();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
