import type { RateCounter } from './rate-counter';

/**
 * A client's requests counted in leases: the first request of a lease adds the whole lease (`leaseSize`, or as
 * many requests as are waiting, if more) to the shared window in one statement; the next ones are admitted from
 * what this process holds, with no statement at all. A lease is granted only up to the limit, so a client's
 * admitted requests never pass it, on any number of processes; what a process leased and did not use by the end
 * of the window is lost (at most one lease per process and client: a small share of the limit). Requests that
 * find no lease wait for one grant together, as the shared counter batches its statements.
 */
export interface RateLeases {
  /** Counts one request of `client`: its count in the window, whether it is over, and whether `blockKey` is. */
  take(client: string, blockKey: string): Promise<Taken>;
  /** Counts one mark against `blockKey` (a refused credential against its IP) in the shared window; resolves once counted. */
  mark(blockKey: string): Promise<void>;
  /**
   * Holds one place against `blockKey` for work that may end in a mark (a credential being looked up), or null
   * when its marks reach the limit; while its marks and the places held do, it waits for a place to be given
   * back. The caller releases it once the mark, if any, is counted: concurrent guesses then stop at the limit
   * instead of all being looked up before the first mark.
   */
  hold(blockKey: string): Promise<(() => void) | null>;
}

export interface Taken {
  count: number;
  over: boolean;
  blocked: boolean;
  /** Unix seconds when the window ends. */
  reset: number;
}

interface Lease {
  reset: number;
  /** The window's count before the lease: its requests are counted from there. */
  base: number;
  granted: number;
  used: number;
}

interface Client {
  lease: Lease | null;
  waiting: { blockKey: string; resolve: (t: Taken) => void; reject: (e: unknown) => void }[];
  granting: boolean;
}

const liveMarks = (known: { reset: number; count: number } | undefined, nowMs: number) =>
  known && known.reset * 1000 > nowMs ? known.count : 0;

interface Held {
  count: number;
  /** Lookups waiting for a place: each looks again whenever a place is given back. */
  waiting: (() => void)[];
}

/**
 * Places held in this process per block key (lookups under way), counted with the key's marks. Past the limit a
 * lookup waits for one under way to end rather than being refused: only marks (refusals) refuse, so valid keys
 * sent all at once are served, later, and made-up ones stop once their refusals reach the limit.
 */
function placesHeld(limit: number, marked: (key: string) => number): RateLeases['hold'] {
  const held = new Map<string, Held>();
  const release = (key: string, h: Held) => {
    h.count -= 1;
    const woken = h.waiting.splice(0);
    if (h.count === 0 && woken.length === 0) held.delete(key);
    for (const wake of woken) wake();
  };
  return async (key) => {
    for (;;) {
      if (marked(key) >= limit) {
        const h = held.get(key);
        if (h && h.count === 0 && h.waiting.length === 0) held.delete(key);
        return null;
      }
      const h = held.get(key) ?? { count: 0, waiting: [] };
      held.set(key, h);
      if (marked(key) + h.count < limit) {
        h.count += 1;
        let released = false;
        return () => {
          if (!released) release(key, h);
          released = true;
        };
      }
      await new Promise<void>((resolve) => h.waiting.push(resolve));
    }
  };
}

export function rateLeases(counter: RateCounter, limit: number, leaseSize: number, now = Date.now): RateLeases {
  const clients = new Map<string, Client>();
  // The marks on each block key as this process last learned them (its own marks included as it makes them).
  const marks = new Map<string, { reset: number; count: number }>();
  const markCount = (key: string, reset: number) => (marks.get(key)?.reset === reset ? marks.get(key)!.count : 0);
  const learnMarks = (key: string, reset: number, count: number) =>
    marks.set(key, { reset, count: Math.max(count, markCount(key, reset)) });
  const live = (l: Lease | null): l is Lease => l !== null && l.used < l.granted && l.reset * 1000 > now();

  function serve(lease: Lease, blockKey: string): Taken {
    const blocked = markCount(blockKey, lease.reset) >= limit;
    if (lease.used >= lease.granted) return { count: limit + 1, over: true, blocked, reset: lease.reset };
    lease.used += 1;
    return { count: lease.base + lease.used, over: false, blocked, reset: lease.reset };
  }

  async function grant(client: string, c: Client): Promise<void> {
    c.granting = true;
    const batch = c.waiting.splice(0);
    const size = Math.max(leaseSize, batch.length);
    // Each request's IP may be another one (a key used from two places): every one's marks are read.
    const blockKeys = [...new Set(batch.map((w) => w.blockKey))];
    try {
      const { counts, reset } = await counter([...blockKeys.map((key) => ({ key, n: 0 })), { key: client, n: size }]);
      for (const [i, key] of blockKeys.entries()) learnMarks(key, reset, counts[i]!);
      const base = counts[blockKeys.length]! - size;
      const lease = { reset, base, granted: Math.min(size, Math.max(0, limit - base)), used: 0 };
      c.lease = lease;
      // Those that came while the grant was out take what the lease has left before another is asked for.
      for (const w of batch) w.resolve(serve(lease, w.blockKey));
      while (c.waiting.length > 0 && live(lease)) {
        const w = c.waiting.shift()!;
        w.resolve(serve(lease, w.blockKey));
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
    c.granting = false;
    if (c.waiting.length > 0) void grant(client, c);
    else if (!live(c.lease)) clients.delete(client);
  }

  // Clients and marks of past windows are dropped once a minute: memory follows the clients of the minute.
  let lastSweep = now();
  function sweep(): void {
    if (now() - lastSweep < 60_000) return;
    lastSweep = now();
    for (const [key, c] of clients) if (!c.granting && !live(c.lease)) clients.delete(key);
    for (const [key, m] of marks) if (m.reset * 1000 <= lastSweep) marks.delete(key);
  }

  return {
    take(client, blockKey) {
      sweep();
      let c = clients.get(client);
      if (!c) {
        c = { lease: null, waiting: [], granting: false };
        clients.set(client, c);
      }
      if (!c.granting && live(c.lease)) return Promise.resolve(serve(c.lease, blockKey));
      return new Promise((resolve, reject) => {
        c.waiting.push({ blockKey, resolve, reject });
        if (!c.granting) void grant(client, c);
      });
    },
    async mark(blockKey) {
      const { counts, reset } = await counter([{ key: blockKey, n: 1 }]);
      learnMarks(blockKey, reset, counts[0]!);
    },
    hold: placesHeld(limit, (key) => liveMarks(marks.get(key), now())),
  };
}
