import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { scaled } from '@contox/db/testing';
import { verifyWebhook } from '@contox/webhooks';

export interface ReceivedEvent {
  id: string;
  type: string;
  createdAt: string;
  accountId: string;
  externalId?: string;
  sequence: number;
  data: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  /** Every event processed, once per id, in arrival order (a receiver that dedupes by event id). */
  processed: ReceivedEvent[];
  /** Deliveries per event id, duplicates and refused attempts included. */
  deliveries: Map<string, number>;
  /** Deliveries whose signature did not verify. */
  badSignatures: number;
  /** Waits until `n` distinct events were processed (fails after the budget). */
  waitFor(n: number, budgetMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  secret: () => string;
  /** Answer 500 to this many deliveries of each event before accepting it. */
  failFirst?: number;
  /**
   * Called on every delivery after it was processed, before answering: return false to leave the request
   * unanswered (a hung receiver).
   */
  onDelivery?: (event: ReceivedEvent, req: IncomingMessage) => boolean | undefined;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A real node:http webhook receiver that verifies Contox-Signature and dedupes by event id, as the README shows. */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const processed: ReceivedEvent[] = [];
  const seen = new Set<string>();
  const deliveries = new Map<string, number>();
  let badSignatures = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await bodyOf(req);
    let event: ReceivedEvent;
    try {
      event = verifyWebhook<ReceivedEvent>(raw, req.headers['contox-signature'], opts.secret());
    } catch {
      badSignatures++;
      res.writeHead(400).end('bad signature');
      return;
    }
    const n = (deliveries.get(event.id) ?? 0) + 1;
    deliveries.set(event.id, n);
    if (n <= (opts.failFirst ?? 0)) {
      res.writeHead(500).end(`not yet (${n})`);
      return;
    }
    if (!seen.has(event.id)) {
      seen.add(event.id);
      processed.push(event);
    }
    if (opts.onDelivery?.(event, req) === false) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    url,
    processed,
    deliveries,
    get badSignatures() {
      return badSignatures;
    },
    async waitFor(n, budgetMs = scaled(30_000)) {
      for (const giveUp = Date.now() + budgetMs; processed.length < n; await sleep(20)) {
        if (Date.now() > giveUp) throw new Error(`only ${processed.length} of ${n} events arrived in ${budgetMs} ms`);
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
