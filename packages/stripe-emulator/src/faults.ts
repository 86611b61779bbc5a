export type ApiFaultKind = '500' | 'timeout' | '429';

export interface ApiFault {
  kind: ApiFaultKind;
  holdMs: number;
  /** Only calls whose path starts with this fail (e.g. `/v1/payment_intents`); others pass untouched. */
  path?: string;
}

/** What to do with one webhook event, decided when it is emitted. */
export interface DeliveryPlan {
  drop: boolean;
  hold: boolean;
  delayMs: number;
  copies: number;
}

export const DEFAULT_TIMEOUT_HOLD_MS = 3_000;

/**
 * Injected failures. Each counter is consumed by the next matching API call or event, so a
 * test states exactly how many calls misbehave instead of toggling a mode it must remember
 * to switch off.
 */
export class Faults {
  private api: ApiFault[] = [];
  private duplicate = 0;
  private reorder = 0;
  private drop = 0;
  private delays: { remaining: number; ms: number }[] = [];
  timeoutHoldMs = DEFAULT_TIMEOUT_HOLD_MS;

  failNext(n: number, kind: ApiFaultKind, holdMs?: number, path?: string): void {
    for (let i = 0; i < n; i++)
      this.api.push({ kind, holdMs: holdMs ?? this.timeoutHoldMs, ...(path ? { path } : {}) });
  }

  takeApiFault(path: string): ApiFault | undefined {
    const i = this.api.findIndex((f) => !f.path || path.startsWith(f.path));
    return i < 0 ? undefined : this.api.splice(i, 1)[0];
  }

  duplicateNext(n: number): void {
    this.duplicate += n;
  }

  reorderNext(n: number): void {
    this.reorder += n;
  }

  dropNext(n: number): void {
    this.drop += n;
  }

  delayNext(n: number, ms: number): void {
    if (n > 0) this.delays.push({ remaining: n, ms });
  }

  /** Events still to collect before a reorder batch is released; 0 means release now. */
  get reorderPending(): number {
    return this.reorder;
  }

  planDelivery(): DeliveryPlan {
    if (this.drop > 0) {
      this.drop -= 1;
      return { drop: true, hold: false, delayMs: 0, copies: 0 };
    }
    let hold = false;
    if (this.reorder > 0) {
      this.reorder -= 1;
      hold = true;
    }
    let delayMs = 0;
    const delay = this.delays[0];
    if (delay) {
      delayMs = delay.ms;
      delay.remaining -= 1;
      if (delay.remaining <= 0) this.delays.shift();
    }
    let copies = 1;
    if (this.duplicate > 0) {
      this.duplicate -= 1;
      copies = 2;
    }
    return { drop: false, hold, delayMs, copies };
  }

  reset(): void {
    this.api = [];
    this.duplicate = 0;
    this.reorder = 0;
    this.drop = 0;
    this.delays = [];
    this.timeoutHoldMs = DEFAULT_TIMEOUT_HOLD_MS;
  }
}
