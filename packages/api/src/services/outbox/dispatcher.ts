import { FIRST_RETRY_MS, nextRetryAt } from '@contox/webhooks';
import type { BillingDeps } from '../../deps';
import { outgoingWebhookAttempts } from '../../metrics';
import { type ClaimedDelivery, claimDueDeliveries, recordAttempt } from '../../store/outbox';
import { postWebhook } from './post-webhook';

export interface DispatcherOptions {
  /** How often an idle dispatcher looks for due deliveries. Default 1 s. */
  pollMs?: number;
  /** Deliveries claimed (and sent in parallel) at once. Default 16. */
  batch?: number;
  /** A delivery's answer must come within this. Default 10 s. */
  timeoutMs?: number;
  /** How long a claim keeps others off a delivery: the timeout, plus time to record the answer. Default timeout + 10 s. */
  leaseMs?: number;
  /** The first retry's wait, doubling after (tests shorten it). Default 30 s. */
  retryBaseMs?: number;
  /** The jitter's source (tests fix it). Default Math.random. */
  random?: () => number;
}

export interface Dispatcher {
  /** Stops: attempts in flight are abandoned and made due again at once, for another process or the next start. */
  stop(): Promise<void>;
}

interface Settings {
  pollMs: number;
  batch: number;
  timeoutMs: number;
  leaseMs: number;
  retryBaseMs: number;
  random: () => number;
}

function settingsOf(opts: DispatcherOptions): Settings {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    pollMs: opts.pollMs ?? 1_000,
    batch: opts.batch ?? 16,
    timeoutMs,
    leaseMs: opts.leaseMs ?? timeoutMs + 10_000,
    retryBaseMs: opts.retryBaseMs ?? FIRST_RETRY_MS,
    random: opts.random ?? Math.random,
  };
}

/** Sends one claimed delivery and records the answer with the delivery's next state. */
async function deliverOne(deps: BillingDeps, s: Settings, d: ClaimedDelivery, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  const payload = d.payload as { type?: string };
  const outcome = await postWebhook({
    url: d.url,
    secret: d.secret,
    body: JSON.stringify(d.payload),
    eventId: d.eventId,
    eventType: String(payload.type),
    timeoutMs: s.timeoutMs,
    signal,
  });
  // On the database's clock, as the claim and the three-day window are.
  const now = new Date(d.claimedAt.getTime() + (Date.now() - started));
  const next = outcome.ok
    ? null
    : signal.aborted
      ? now
      : nextRetryAt({
          attempt: d.attempt,
          eventCreatedAt: d.scheduledAt,
          now,
          baseMs: s.retryBaseMs,
          jitter: s.random(),
        });
  const status = outcome.ok ? 'succeeded' : next ? 'pending' : 'failed';
  const counted = signal.aborted && !outcome.ok ? 'abandoned' : status === 'pending' ? 'retry' : status;
  outgoingWebhookAttempts.inc({ type: String(payload.type), outcome: counted });
  await recordAttempt(deps.database.db, {
    accountId: d.accountId,
    eventId: d.eventId,
    endpointId: d.endpointId,
    attempt: d.attempt,
    attemptedAt: d.claimedAt,
    statusCode: outcome.statusCode,
    excerpt: signal.aborted && !outcome.ok ? 'abandoned: the server was stopping' : outcome.excerpt,
    durationMs: outcome.durationMs,
    status,
    nextAttemptAt: next,
  });
}

/**
 * Delivers the outbox: claims due deliveries (FOR UPDATE SKIP LOCKED, so several processes share the work and
 * never send one attempt twice at once), POSTs them in parallel, records each answer and retries failures
 * with exponential backoff for up to three days. Runs until stopped; a database error is logged and retried
 * at the next poll.
 */
export function startWebhookDispatcher(deps: BillingDeps, opts: DispatcherOptions = {}): Dispatcher {
  const s = settingsOf(opts);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const round = async (): Promise<number> => {
    const claimed = await claimDueDeliveries(deps.database.db, { limit: s.batch, leaseMs: s.leaseMs });
    await Promise.all(claimed.map((d) => deliverOne(deps, s, d, abort.signal)));
    return claimed.length;
  };
  const loop = async () => {
    try {
      // A full batch means more may be due: go on at once.
      while (!abort.signal.aborted && (await round()) === s.batch) {}
    } catch (err) {
      if (!abort.signal.aborted) deps.log.warn('webhook dispatch failed', { error: String(err) });
    }
  };
  const kick = () => {
    if (abort.signal.aborted) return;
    clearTimeout(timer);
    running ??= loop().finally(() => {
      running = null;
      if (!abort.signal.aborted) timer = setTimeout(kick, s.pollMs).unref();
    });
  };
  kick();
  return {
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
