import type { ApiFaultKind } from './faults';
import type { DeliveryRecord } from './webhooks';

export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorControlError';
  }
}

/** Typed client for the emulator's `/_emulator/…` control API. */
export class EmulatorControl {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } } & T;
    if (!res.ok) throw new EmulatorControlError(res.status, json.error?.message ?? `HTTP ${res.status}`);
    return json;
  }

  /** Moves emulator time forward, running renewals, cancellations and payment retries due on the way. */
  async advanceClock(seconds: number): Promise<void> {
    await this.call('POST', '/clock/advance', { seconds });
  }

  async now(): Promise<number> {
    return (await this.call<{ now: number }>('GET', '/clock')).now;
  }

  /**
   * The next `n` API calls fail. `timeout` still performs the call, then holds the answer for
   * `holdMs` (default 3 s) and drops the connection. With `path`, only calls under it count
   * (e.g. `/v1/payment_intents`), so a test can fail the charge and not the lookups before it.
   */
  async failNext(n: number, kind: ApiFaultKind, holdMs?: number, path?: string): Promise<void> {
    await this.call('POST', '/faults/api', {
      n,
      kind,
      ...(holdMs === undefined ? {} : { holdMs }),
      ...(path === undefined ? {} : { path }),
    });
  }

  async duplicateNext(n: number): Promise<void> {
    await this.call('POST', '/faults/webhooks', { mode: 'duplicate', n });
  }

  async reorderNext(n: number): Promise<void> {
    await this.call('POST', '/faults/webhooks', { mode: 'reorder', n });
  }

  async delayNext(n: number, ms: number): Promise<void> {
    await this.call('POST', '/faults/webhooks', { mode: 'delay', n, ms });
  }

  async dropNext(n: number): Promise<void> {
    await this.call('POST', '/faults/webhooks', { mode: 'drop', n });
  }

  async redeliver(eventId: string): Promise<void> {
    await this.call('POST', `/events/${encodeURIComponent(eventId)}/redeliver`);
  }

  /**
   * Same path as submitting the hosted checkout page; rejects with the page's error message. A 3-D Secure
   * challenge on the way is answered with `authentication` (default complete).
   */
  async completeCheckout(
    sessionId: string,
    cardNumber: string,
    payer: { email?: string; name?: string; authentication?: 'complete' | 'fail' } = {},
  ): Promise<{ redirect: string }> {
    return this.call<{ redirect: string }>('POST', `/checkout/${encodeURIComponent(sessionId)}/complete`, {
      cardNumber,
      ...payer,
    });
  }

  async setWebhook(w: { url: string; secret: string } | null): Promise<void> {
    await this.call('POST', '/webhook', w ?? { url: null });
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  /** Every delivery attempt so far (including dropped events, with attempt 0). */
  async deliveries(): Promise<DeliveryRecord[]> {
    return (await this.call<{ deliveries: DeliveryRecord[] }>('GET', '/deliveries')).deliveries;
  }

  /** Waits until no webhook delivery is queued, in flight or scheduled for retry. */
  async waitForWebhooks(timeoutMs = 10_000): Promise<boolean> {
    return (await this.call<{ idle: boolean }>('POST', '/webhooks/idle', { timeoutMs })).idle;
  }

  async snapshot(): Promise<void> {
    await this.call('POST', '/snapshot');
  }
}
