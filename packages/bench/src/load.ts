import autocannon from 'autocannon';
import type { WrkResult } from './wrk';

/**
 * A second opinion on the REST spend over many accounts from another load generator (autocannon, in this
 * process): the same 2xx-only accounting as wrk, so the two can be set side by side.
 */
export async function autocannonSpends(
  url: string,
  opts: { connections: number; seconds: number; keys: string[] },
): Promise<WrkResult> {
  let n = 0;
  const prefix = `a${Date.now().toString(36)}`;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          method: 'POST',
          path: '/api/billing/credits/spend',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${opts.keys[Math.floor(Math.random() * opts.keys.length)]}`,
          },
          body: JSON.stringify({ amount: 1, description: 'bench spend', idempotencyKey: `${prefix}-${n++}` }),
        }),
      },
    ],
  });
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    // autocannon's errors include its timeouts.
    socketErrors: result.errors,
    requests: result['2xx'] + result.non2xx,
    seconds: result.duration,
    throughput: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
