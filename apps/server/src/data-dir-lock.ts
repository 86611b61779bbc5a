import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'server.lock';
/** The holder refreshes the file's time this often, so a holder on another host can be told from a dead one. */
const HEARTBEAT_MS = 5_000;
/** A lock from another host (another container on a shared volume) not refreshed for this long is left over. */
const STALE_MS = 4 * HEARTBEAT_MS;

interface Holder {
  pid: number;
  host: string;
  token: string;
  since: string;
}

export class DataDirInUseError extends Error {
  constructor(dir: string, holder: Holder | null) {
    const who = holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : '';
    super(
      `The data folder ${dir} is in use by another Contox Billing server${who}. ` +
        'Stop that server first, or set DATA_DIR to another folder.',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  release(): void;
}

// A second start in the same process is refused too, although the pid in the file is its own.
const heldHere = new Set<string>();

function readHolder(path: string): Holder | null {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.token === 'string' ? (holder as Holder) : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * On this host the pid says it all, so a lock left by a killed process never blocks the next start (a pid
 * equal to ours is a previous life of this process, as in a restarted container). A holder elsewhere is
 * alive while it keeps refreshing the file.
 */
function holderAlive(path: string, holder: Holder): boolean {
  if (holder.host === hostname()) return holder.pid !== process.pid && processAlive(holder.pid);
  try {
    return Date.now() - statSync(path).mtimeMs < STALE_MS;
  } catch {
    return false;
  }
}

/** Creates the lock file whole or not at all: written aside, then linked into place (which fails if it exists). */
function tryCreate(path: string, me: Holder): boolean {
  const aside = `${path}.${me.token}`;
  writeFileSync(aside, JSON.stringify(me));
  try {
    linkSync(aside, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(aside);
  }
}

/**
 * Moves the left-over lock out of the way. Two starts may find the same left-over lock: the rename lets only
 * one of them take it, and one that finds it took a live lock instead (made in between) puts it back.
 */
function removeLeftOver(path: string, found: Holder | null, me: Holder): void {
  const aside = `${path}.${me.token}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (readHolder(aside)?.token !== found?.token) {
    try {
      linkSync(aside, path);
    } catch {
      // Yet another start made a lock meanwhile: that one stands.
    }
  }
  unlinkSync(aside);
}

function holding(path: string, me: Holder): DataDirLock {
  heldHere.add(path);
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // Gone (someone removed the folder): nothing left to refresh.
    }
  }, HEARTBEAT_MS).unref();
  return {
    release() {
      clearInterval(heartbeat);
      heldHere.delete(path);
      if (readHolder(path)?.token === me.token) unlinkSync(path);
    },
  };
}

/**
 * Makes this process the only server on the data folder: the embedded Postgres and the Stripe emulator's
 * state would drift apart under two. Throws DataDirInUseError, naming the folder, when another one holds it.
 */
export function lockDataDir(dir: string): DataDirLock {
  const folder = resolve(dir);
  const path = join(folder, LOCK_FILE);
  if (heldHere.has(path)) throw new DataDirInUseError(folder, readHolder(path));
  const me: Holder = { pid: process.pid, host: hostname(), token: randomUUID(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, me)) return holding(path, me);
    const found = readHolder(path);
    if (found && holderAlive(path, found)) throw new DataDirInUseError(folder, found);
    removeLeftOver(path, found, me);
  }
  throw new DataDirInUseError(folder, readHolder(path));
}
