import type { Database } from '@contox/db';
import type { Logger } from '../../logger';
import { addToRateWindows, sweepRateWindows } from '../../store/rate-limits';

/** A part in a client's window: `n` requests counted (a lease of several, one, or `n = 0` to read the count). */
export interface Hit {
  key: string;
  n: number;
}

/** Each hit's count in the current one-minute window once it (and every hit before it) is counted. */
export interface WindowCounts {
  counts: number[];
  /** Unix seconds when the window ends. */
  reset: number;
}

export type RateCounter = (hits: Hit[]) => Promise<WindowCounts>;

const WINDOW_MS = 60_000;

/** Fixed one-minute windows in this process's memory: enough where only one process can run (embedded). */
export function memoryRateCounter(now: () => number = Date.now): RateCounter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return async (hits) => {
    const t = now();
    const start = t - (t % WINDOW_MS);
    if (t - lastSweep >= WINDOW_MS) {
      lastSweep = t;
      for (const [k, w] of windows) if (w.start < start) windows.delete(k);
    }
    const counts = hits.map(({ key, n }) => {
      let w = windows.get(key);
      if (!w || w.start !== start) {
        w = { start, count: 0 };
        windows.set(key, w);
      }
      w.count += n;
      return w.count;
    });
    return { counts, reset: (start + WINDOW_MS) / 1000 };
  };
}

interface Waiting {
  hits: Hit[];
  resolve: (c: WindowCounts) => void;
}

/** Sends one batch's hits as one statement: a key's hits add up, and each hit learns its own running count. */
async function countBatch(db: Database, batch: Waiting[]): Promise<void> {
  const totals = new Map<string, number>();
  for (const { hits } of batch) for (const { key, n } of hits) totals.set(key, (totals.get(key) ?? 0) + n);
  const keys = [...totals.keys()];
  const { windowStart, counts } = await addToRateWindows(
    db,
    keys,
    keys.map((k) => totals.get(k)!),
  );
  const reset = windowStart.getTime() / 1000 + WINDOW_MS / 1000;
  // The batch's hits in arrival order: the count before the batch, plus this key's hits so far.
  const seen = new Map<string, number>(keys.map((k) => [k, counts.get(k)! - totals.get(k)!]));
  for (const { hits, resolve } of batch) {
    resolve({
      counts: hits.map(({ key, n }) => {
        const c = seen.get(key)! + n;
        seen.set(key, c);
        return c;
      }),
      reset,
    });
  }
}

/**
 * Windows in the database, shared by every server process on it, so the limit holds across replicas exactly:
 * each count is an atomic increment. Requests that arrive while a statement is out wait for the next one
 * (one statement in flight per process, as the spend queue does). Should the database fail, requests are let
 * through (it is down for them anyway) and the failure logged.
 */
export function sharedRateCounter(db: Database, log: Logger, now: () => number = Date.now): RateCounter {
  let waiting: Waiting[] = [];
  let running = false;
  let lastSweep = now();
  async function drain(): Promise<void> {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      await countBatch(db, batch).catch((err: unknown) => {
        log.warn('rate limit counts unavailable: requests let through', { error: String(err) });
        const reset = Math.ceil((now() + WINDOW_MS) / 1000);
        for (const { hits, resolve } of batch) resolve({ counts: hits.map(() => 0), reset });
      });
      if (now() - lastSweep >= WINDOW_MS) {
        lastSweep = now();
        await sweepRateWindows(db).catch(() => {});
      }
    }
    running = false;
  }
  return (hits) =>
    new Promise((resolve) => {
      waiting.push({ hits, resolve });
      if (!running) void drain();
    });
}
