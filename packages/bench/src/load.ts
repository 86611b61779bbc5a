import autocannon from 'autocannon';
import type { Measured } from './pgbench-baseline';

export interface LoadResult extends Measured {
  errors: number;
}

type Req = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };

/** Closed-loop HTTP load with keep-alive; `next` builds each request (its own key, a fresh idempotency key). */
export async function load(
  url: string,
  opts: { connections: number; seconds: number; next: () => Req },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        setupRequest: (req) => {
          const r = opts.next();
          return { ...req, method: r.method, path: r.path, headers: r.headers, ...(r.body ? { body: r.body } : {}) };
        },
      },
    ],
  });
  return {
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
