import { scaled } from '@contox/db/testing';

export interface SpendOutcome {
  key: string;
  /** HTTP status, or null when no answer arrived (connection refused or reset, or too late). */
  status: number | null;
  body: unknown;
}

/** One spend over HTTP; a lost connection, or no answer within `timeoutMs`, is an outcome too, not a failure. */
export async function spendOnce(
  url: string,
  apiKey: string,
  key: string,
  amount: number,
  timeoutMs = scaled(10_000),
): Promise<SpendOutcome> {
  try {
    const res = await fetch(`${url}/api/billing/credits/spend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount, description: 'Enrichment - load', idempotencyKey: key }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { key, status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return { key, status: null, body: null };
  }
}

/**
 * `workers` callers spending one after another until `stop()` says so, each with fresh idempotency keys
 * (`prefix-worker-n`). Every attempt's outcome is kept.
 */
export async function spendLoad(opts: {
  targets: { url: string; apiKey: string }[];
  workers: number;
  amount: number;
  prefix: string;
  until: () => boolean;
  timeoutMs?: number;
  /** Told of each outcome as it arrives, for tests that act once the load has made progress. */
  onOutcome?: (o: SpendOutcome) => void;
}): Promise<SpendOutcome[]> {
  const outcomes: SpendOutcome[] = [];
  await Promise.all(
    Array.from({ length: opts.workers }, async (_, w) => {
      for (let n = 0; !opts.until(); n++) {
        const target = opts.targets[(w + n) % opts.targets.length]!;
        const outcome = await spendOnce(
          target.url,
          target.apiKey,
          `${opts.prefix}-${w}-${n}`,
          opts.amount,
          opts.timeoutMs,
        );
        outcomes.push(outcome);
        opts.onOutcome?.(outcome);
      }
    }),
  );
  return outcomes;
}
