import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, isConnectionLost } from '@contox/db';
import type { BillingDeps } from '../../deps';
import { applySpendBatch, type SpendOutcome, type SpendRequest } from './spend-batch';

const MAX_BATCH = 256;

const RETRIES = 3;
// A batch normally commits in milliseconds. Should one never settle (a driver fault on a lost connection,
// as postgres.js had before patches/postgres@3.4.9.patch), its callers get an error past this and the queue
// moves on. A retry with the same idempotency key is safe either way.
const BATCH_DEADLINE_MS = 5_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`spend batch unfinished after ${ms} ms (database connection lost?)`)),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
// Deadlock and serialization failures roll the whole batch back, so it can run again. So can a batch whose
// connection died, even one whose COMMIT may have landed: a second run finds each spend by its idempotency
// key and answers what the first one wrote.
const RETRIABLE = new Set(['40P01', '40001']);
const retriable = (err: unknown) => RETRIABLE.has(errorCode(err) ?? '') || isConnectionLost(err);
// A terminated backend can take a moment to go; the pool hands out a fresh connection once it has.
const RECONNECT_PAUSE_MS = 50;

interface Waiting {
  request: SpendRequest;
  resolve: (o: SpendOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: spends that arrive while a batch is being written wait for the next one, so N concurrent
 * spends cost one transaction and one durable commit instead of N. Each caller is answered only after the
 * batch holding its spend has committed.
 */
export class SpendQueue {
  private waiting: Waiting[] = [];
  // One batch at a time: measured, a second batch in flight mostly waits on the first one's row locks and
  // halves the batch size, costing more CPU per spend on both sides (docs/performance.md).
  private running = false;
  private readonly periodHints = new Map<string, Date>();

  constructor(private readonly deps: BillingDeps) {}

  submit(request: SpendRequest): Promise<SpendOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        const outcomes = await this.write(batch.map((w) => w.request));
        for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.running = false;
  }

  private async write(requests: SpendRequest[]): Promise<SpendOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const now = this.deps.now();
        return await withDeadline(
          this.deps.database.db.transaction((tx) => applySpendBatch(tx, this.deps, requests, now, this.periodHints)),
          BATCH_DEADLINE_MS,
        );
      } catch (err) {
        if (attempt >= RETRIES || !retriable(err)) throw err;
        if (isConnectionLost(err)) await sleep(RECONNECT_PAUSE_MS * attempt);
      }
    }
  }
}

const queues = new WeakMap<BillingDeps, SpendQueue>();

/** One queue per running service (per deps), created on first use. */
export function spendQueueOf(deps: BillingDeps): SpendQueue {
  let q = queues.get(deps);
  if (!q) {
    q = new SpendQueue(deps);
    queues.set(deps, q);
  }
  return q;
}
