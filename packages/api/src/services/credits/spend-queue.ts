import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, isDomainError } from '@contox/core';
import { errorCode, isConnectionLost, leanTransaction } from '@contox/db';
import type { BillingDeps } from '../../deps';
import { outsideRequestScope } from '../../logger';
import { spendBatchDuration, spendBatchSize, spendQueueWait } from '../../metrics';
import { applySpendBatch, type SpendOutcome, type SpendRequest } from './spend-batch';

const MAX_BATCH = 256;

const RETRIES = 3;
// A batch normally commits in milliseconds. Should one never settle (a driver fault on a lost connection,
// as postgres.js had before patches/postgres@3.4.9.patch), its callers get an error past this and the queue
// moves on. A retry with the same idempotency key is safe either way.
const BATCH_DEADLINE_MS = 5_000;

class BatchDeadlineError extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BatchDeadlineError(`spend batch unfinished after ${ms} ms (database connection lost?)`)),
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

/**
 * A failure that the same statement would meet again with the same input (data exceptions, program limits,
 * constraint violations, a decision that throws), as opposed to one of the moment (a lost connection, a
 * deadlock that outlived its retries, the deadline). Only the former can be pinned on one spend of a batch.
 */
function causedByInput(err: unknown): boolean {
  if (err instanceof BatchDeadlineError || isConnectionLost(err) || retriable(err)) return false;
  if (isDomainError(err)) return true;
  const code = errorCode(err);
  return code === undefined || /^(22|23|54)/.test(code);
}

/** What the one spend a failure was pinned on is answered: its own input was refused by the database. */
function refusalOf(err: unknown): unknown {
  if (isDomainError(err)) return err;
  if (!/^(22|54)/.test(errorCode(err) ?? '')) return err;
  return new DomainError(
    'INVALID_INPUT',
    'The spend could not be stored: its description or idempotencyKey holds characters or a length the ledger refuses',
  );
}

type Settled = { ok: true; outcome: SpendOutcome } | { ok: false; error: unknown };

interface Waiting {
  request: SpendRequest;
  /** When it was submitted (process.hrtime), for the queue-wait metric. */
  since: bigint;
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

  /** Spends waiting for the next batch (not the one being written). */
  get queued(): number {
    return this.waiting.length;
  }

  submit(request: SpendRequest): Promise<SpendOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, since: process.hrtime.bigint(), resolve, reject });
      // The batch serves every request in it: its log lines name none of them.
      if (!this.running) outsideRequestScope(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      const start = process.hrtime.bigint();
      for (const w of batch) spendQueueWait.observe(Number(start - w.since) / 1e9);
      const settled = await this.settle(batch.map((w) => w.request));
      for (const [i, w] of batch.entries()) {
        const s = settled[i]!;
        if (s.ok) w.resolve(s.outcome);
        else w.reject(s.error);
      }
    }
    this.running = false;
  }

  /**
   * One caller's input can only fail that caller: a batch that fails because of what one spend holds is
   * split in two and each half run on its own, down to the spend at fault, so every other spend is answered
   * exactly as if it had never been sent. Halves run in arrival order, keeping one-by-one outcomes.
   */
  private async settle(requests: SpendRequest[]): Promise<Settled[]> {
    try {
      return (await this.write(requests)).map((outcome) => ({ ok: true, outcome }));
    } catch (err) {
      if (!causedByInput(err)) return requests.map(() => ({ ok: false, error: err }));
      if (requests.length === 1) return [{ ok: false, error: refusalOf(err) }];
      const half = Math.ceil(requests.length / 2);
      return [...(await this.settle(requests.slice(0, half))), ...(await this.settle(requests.slice(half)))];
    }
  }

  private async write(requests: SpendRequest[]): Promise<SpendOutcome[]> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    spendBatchSize.observe(requests.length);
    try {
      const outcomes = await this.writeWithRetries(requests);
      spendBatchDuration.observe({ outcome: 'committed' }, seconds());
      this.deps.log.debug('spend batch committed', { spends: requests.length, ms: Math.round(seconds() * 1000) });
      return outcomes;
    } catch (err) {
      spendBatchDuration.observe({ outcome: 'failed' }, seconds());
      this.deps.log.debug('spend batch failed', { spends: requests.length, error: String(err) });
      throw err;
    }
  }

  private async writeWithRetries(requests: SpendRequest[]): Promise<SpendOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withDeadline(this.commitBatch(requests), BATCH_DEADLINE_MS);
      } catch (err) {
        if (attempt >= RETRIES || !retriable(err)) throw err;
        this.deps.log.debug('spend batch retried', { attempt, spends: requests.length, error: String(err) });
        if (isConnectionLost(err)) await sleep(RECONNECT_PAUSE_MS * attempt);
      }
    }
  }

  /**
   * One transaction: BEGIN, the locking reads, then the writes with the COMMIT right behind them (one round
   * trip fewer than awaiting the writes first). A write that failed left the transaction aborted, so the
   * COMMIT rolled it back: its error is the batch's.
   */
  private async commitBatch(requests: SpendRequest[]): Promise<SpendOutcome[]> {
    const { database } = this.deps;
    const now = this.deps.now();
    const { outcomes, written } = await leanTransaction(database.db, async (tx) => {
      const batch = await applySpendBatch(tx, this.deps, requests, now, this.periodHints);
      // The embedded database runs one statement at a time anyway: nothing to overlap there.
      if (database.kind === 'embedded') {
        const failed = await batch.written;
        if (failed) throw failed.error;
      }
      return batch;
    });
    const failed = await written;
    if (failed) throw failed.error;
    return outcomes;
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
