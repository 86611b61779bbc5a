import type { FormObject, FormValue } from './form';

export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

export interface IdempotencyEntry {
  fingerprint: string;
  createdAt: number;
  response: SavedResponse | null;
}

export type IdempotencyDecision =
  | { kind: 'new' }
  | { kind: 'replay'; response: SavedResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/** Stripe keeps keys for at least 24 hours; we keep them that long in wall-clock time. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

function canonical(value: FormValue): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(canonical);
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical(value[k] as FormValue)]),
  );
}

/**
 * Fingerprint of a request. Key order is normalised so a client that builds the same params
 * in a different order is still recognised as sending "the same request".
 */
export function fingerprint(method: string, path: string, params: FormObject): string {
  return JSON.stringify([method, path, canonical(params)]);
}

export class IdempotencyStore {
  private entries = new Map<string, IdempotencyEntry>();

  begin(key: string, print: string): IdempotencyDecision {
    this.prune();
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint: print, createdAt: Date.now(), response: null });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== print) return { kind: 'mismatch' };
    if (!entry.response) return { kind: 'in_flight' };
    return { kind: 'replay', response: entry.response };
  }

  finish(key: string, response: SavedResponse): void {
    const entry = this.entries.get(key);
    if (entry) entry.response = response;
  }

  /** Forget a key whose request never started executing, so a retry may run it. */
  abandon(key: string): void {
    const entry = this.entries.get(key);
    if (entry && !entry.response) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Answered keys only: a request that was still running when the snapshot was taken may run again. */
  toJSON(): [string, IdempotencyEntry][] {
    return [...this.entries].filter(([, e]) => e.response !== null);
  }

  load(entries: [string, IdempotencyEntry][]): void {
    this.entries = new Map(entries);
  }

  private prune(): void {
    const cutoff = Date.now() - RETENTION_MS;
    for (const [k, e] of this.entries) if (e.createdAt < cutoff && e.response) this.entries.delete(k);
  }
}
