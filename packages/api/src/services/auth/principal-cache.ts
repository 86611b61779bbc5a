import type { Database, DatabaseHandle } from '@contox/db';
import type { Logger } from '../../logger';
import { listenForgotten, notifyForgotten } from '../../store/principal-events';
import type { Principal, Resolution } from './principal';

const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

export interface PrincipalCache {
  (credential: string, resolve: () => Promise<Resolution>): Promise<Resolution>;
  /** Drops every entry whose principal matches, and keeps lookups already under way from storing theirs. */
  forget(matches: (principal: Principal) => boolean): void;
}

/**
 * Remembers successful credential lookups for a few seconds: the hot paths would otherwise pay a database
 * round trip per request just to learn who is calling. Whatever changes a key's or a member's powers (a
 * revocation, a role change, a removal) calls `forgetCredentials`, so in this process it takes effect at once.
 */
export function createPrincipalCache(now: () => number = Date.now): PrincipalCache {
  const entries = new Map<string, { resolution: Resolution; expires: number }>();
  // Bumped by every forget: a lookup that started before one may have read what was just revoked.
  let generation = 0;
  const cached = async (credential: string, resolve: () => Promise<Resolution>): Promise<Resolution> => {
    const t = now();
    const hit = entries.get(credential);
    if (hit && hit.expires > t) return hit.resolution;
    const startedIn = generation;
    const resolution = await resolve();
    if (resolution.principal && startedIn === generation) {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(credential, { resolution, expires: t + TTL_MS });
    }
    return resolution;
  };
  return Object.assign(cached, {
    forget(matches: (principal: Principal) => boolean) {
      generation += 1;
      for (const [credential, { resolution }] of entries) {
        if (resolution.principal && matches(resolution.principal)) entries.delete(credential);
      }
    },
  });
}

// Every cache serving one database, so a change made through any handler of this process reaches all of them.
const cachesByDatabase = new WeakMap<Database, Set<WeakRef<PrincipalCache>>>();

/** A cache for lookups against `db`, reached by forgetCredentials(db, …). */
export function principalCacheFor(db: Database, now?: () => number): PrincipalCache {
  const cache = createPrincipalCache(now);
  let caches = cachesByDatabase.get(db);
  if (!caches) {
    caches = new Set();
    cachesByDatabase.set(db, caches);
  }
  caches.add(new WeakRef(cache));
  return cache;
}

/** What lost its powers: one API key, or everything a member holds. */
export type Forgotten = { apiKeyId: string } | { memberId: string };

/** Every process's caches on one database, when it is a server other processes share (LISTEN/NOTIFY). */
const broadcasts = new WeakMap<Database, (what: Forgotten) => void>();
// Announcements not yet sent, so that a short-lived process (the command line) can wait for them before it exits.
const pending = new WeakMap<Database, Set<Promise<void>>>();

/**
 * Call after the change has committed: later lookups read it from the database. This process forgets at once;
 * every other server process on the same Postgres database within moments (NOTIFY, see shareForgetting).
 */
export function forgetCredentials(db: Database, what: Forgotten): void {
  forgetHere(db, what);
  broadcasts.get(db)?.(what);
}

const everything = { all: true } as const;

function forgetHere(db: Database, what: Forgotten | typeof everything): void {
  const caches = cachesByDatabase.get(db);
  if (!caches) return;
  const matches =
    'all' in what
      ? () => true
      : 'apiKeyId' in what
        ? (p: Principal) => p.apiKeyId === what.apiKeyId
        : (p: Principal) => p.memberId === what.memberId;
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.forget(matches);
    else caches.delete(ref);
  }
}

const isForgotten = (v: unknown): v is Forgotten =>
  typeof v === 'object' &&
  v !== null &&
  (typeof (v as { apiKeyId?: unknown }).apiKeyId === 'string' ||
    typeof (v as { memberId?: unknown }).memberId === 'string');

/**
 * Makes forgetCredentials reach every server process on a shared Postgres database: each forgets what any of
 * them announces, and everything it cached whenever its listening connection comes back (what was announced
 * meanwhile is unknown). Once per database; the embedded database has one process, which forgets at once anyway.
 */
export async function shareForgetting(handle: DatabaseHandle, log: Logger): Promise<void> {
  if (handle.kind !== 'postgres' || broadcasts.has(handle.db)) return;
  announceForgetting(handle, log);
  const onPayload = (payload: string) => {
    let what: unknown;
    try {
      what = JSON.parse(payload);
    } catch {
      return;
    }
    if (isForgotten(what)) forgetHere(handle.db, what);
  };
  await listenForgotten(handle, onPayload, () => forgetHere(handle.db, everything));
}

/**
 * Announces what this process makes forgotten to the server processes on the same Postgres database, without
 * listening itself: for a process that caches nothing, such as the command line, which then awaits
 * `forgettingAnnounced` before it exits.
 */
export function announceForgetting(handle: DatabaseHandle, log: Logger): void {
  if (handle.kind !== 'postgres' || broadcasts.has(handle.db)) return;
  const sent = new Set<Promise<void>>();
  pending.set(handle.db, sent);
  broadcasts.set(handle.db, (what) => {
    const sending = notifyForgotten(handle, JSON.stringify(what))
      .catch((err: unknown) => {
        log.warn('could not tell the other processes of a revoked credential (their caches expire it soon)', {
          error: String(err),
        });
      })
      .finally(() => sent.delete(sending));
    sent.add(sending);
  });
}

/** Resolves once every announcement made so far on `db` has been sent (or has failed and been logged). */
export async function forgettingAnnounced(db: Database): Promise<void> {
  await Promise.all(pending.get(db) ?? []);
}
