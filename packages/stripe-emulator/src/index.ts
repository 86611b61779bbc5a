import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatorControl } from './control-client';
import { advanceClock } from './resources/subscriptions';
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
  /**
   * The emulator's clock, in process: a host that bills with this emulator reads its time here so the two never
   * disagree, and moves both at once with `advance` (renewals, retries and cancellations that fall due run, and
   * their webhooks are delivered, before it resolves).
   */
  clock: EmulatorClock;
  stop(): Promise<void>;
}

export interface EmulatorClock {
  /** Emulator time in milliseconds: the wall clock plus every advance so far. */
  nowMs(): number;
  /** Moves time forward by whole seconds; resolves with the new time (ms) once the webhooks it caused were answered. */
  advance(seconds: number, webhookBudgetMs?: number): Promise<number>;
}

/** Waits for the queued webhooks, at most `budgetMs`: a receiver that never answers must not hold the clock. */
async function webhooksSettled(em: Emulator, budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  await Promise.race([em.webhooks.idle(), timeout]);
  clearTimeout(timer);
}

function clockOf(em: Emulator): EmulatorClock {
  return {
    nowMs: () => Date.now() + em.clock.offset * 1000,
    async advance(seconds, webhookBudgetMs = 30_000) {
      advanceClock(em, seconds);
      em.scheduleSnapshot();
      await webhooksSettled(em, webhookBudgetMs);
      return Date.now() + em.clock.offset * 1000;
    },
  };
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
    clock: clockOf(em),
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
