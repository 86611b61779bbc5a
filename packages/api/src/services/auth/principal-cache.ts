import type { Resolution } from './principal';

const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

/**
 * Remembers successful credential lookups for a few seconds: the hot paths would otherwise pay a database
 * round trip per request just to learn who is calling. A revoked key therefore stops working within TTL_MS.
 */
export function createPrincipalCache(now: () => number = Date.now) {
  const entries = new Map<string, { resolution: Resolution; expires: number }>();
  return async function cached(credential: string, resolve: () => Promise<Resolution>): Promise<Resolution> {
    const t = now();
    const hit = entries.get(credential);
    if (hit && hit.expires > t) return hit.resolution;
    const resolution = await resolve();
    if (resolution.principal) {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(credential, { resolution, expires: t + TTL_MS });
    }
    return resolution;
  };
}
