import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { scaled } from '@contox/db/testing';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

/** Time to print the banner: boot, migrations and the catalogue sync, on a machine that may be busy. */
const BANNER_BUDGET_MS = 60_000;
/** Time a server gets to close after SIGTERM before it is killed outright. */
const STOP_GRACE_MS = 10_000;

/**
 * Loaded into the child before the server: its stdin is a pipe from this process, which nobody writes to,
 * so end-of-file means the parent is gone (exited, crashed, or SIGKILLed by a test runner that ends its
 * workers that way). The server then stops as on SIGTERM, and exits anyway if closing hangs. Unreferenced,
 * so it never keeps a server alive that is otherwise done.
 */
const parentWatchdog = (graceMs: number) =>
  `data:text/javascript,${encodeURIComponent(`
process.stdin.on('end', () => {
  setTimeout(() => process.exit(1), ${graceMs}).unref();
  process.kill(process.pid, 'SIGTERM');
});
process.stdin.resume();
process.stdin.unref();
`)}`;

export interface SpawnedServer {
  url: string;
  /** The demo key the banner printed; empty when the server runs without demo mode. */
  apiKey: string;
  child: ChildProcess;
  /** Everything the process printed so far (banner and logs). */
  output(): string;
  /** Resolves once the process is gone, whatever ended it. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within the grace time; resolves once it is gone. */
  stop(): Promise<void>;
}

/** Budgets before TEST_TIME_SCALE; the defaults suit every caller but the tests of this file. */
export interface SpawnBudgets {
  bannerMs?: number;
  stopGraceMs?: number;
}

/** The server printed no banner in time; it was killed (and is gone) before this was thrown. */
export class NoBannerError extends Error {
  constructor(
    readonly budgetMs: number,
    readonly pid: number | undefined,
    /** How it ended: SIGTERM, or SIGKILL when it did not stop within the grace time. */
    readonly signal: NodeJS.Signals | null,
    output: string,
  ) {
    super(`no banner within ${budgetMs} ms, server killed:\n${output}`);
    this.name = 'NoBannerError';
  }
}

const running = new Set<ChildProcess>();
let killOnExit = false;

/** A process that ends with servers still up (a failed test, a timeout) takes them with it. */
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (killOnExit) return;
  killOnExit = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function terminate(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (isRunning(child)) child.kill('SIGTERM');
  const graceOver = new AbortController();
  await Promise.race([exited, sleep(graceMs, undefined, { signal: graceOver.signal }).catch(() => {})]);
  graceOver.abort();
  if (isRunning(child)) child.kill('SIGKILL');
  await exited;
}

/**
 * The real entry point in a process of its own, as `npm start` runs it, resolved once its banner is out; or,
 * given `bundleDir` (scripts/build-production.sh's output), as the image runs it: `node dist/main.js` there.
 * For tests and the benchmark that need a separate process (restarts, kill -9, several servers, CPU).
 * A server that misses its banner is killed before the promise rejects: no orphan keeps loading the machine.
 */
export function spawnServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  budgets: SpawnBudgets = {},
  bundleDir?: string,
): Promise<SpawnedServer> {
  const graceMs = scaled(budgets.stopGraceMs ?? STOP_GRACE_MS);
  const entry = bundleDir ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  // The watchdog loads first, so nothing the caller preloads can hold it back.
  const args = ['--import', parentWatchdog(graceMs), ...nodeArgs, ...entry];
  const child = spawn(process.execPath, args, {
    cwd: bundleDir ?? serverDir,
    // Demo mode by default, on a real database too (tests and the benchmark use its key); BILLING_DEMO: '' is
    // no flag at all, as in production.
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', BILLING_DEMO: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const collect = (d: Buffer) => {
    out += d;
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const stop = () => terminate(child, exited, graceMs);
  const budget = scaled(budgets.bannerMs ?? BANNER_BUDGET_MS);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      stop().then(() => reject(new NoBannerError(budget, child.pid, child.signalCode, out)));
    }, budget);
    child.once('exit', onExit);
    child.stdout!.on('data', () => {
      const url = /Dashboard:\s+(\S+)/.exec(out)?.[1];
      const apiKey = /Demo API key:\s+(\S+)/.exec(out)?.[1] ?? '';
      // The banner's last line: the demo's curl, or how to create the first account.
      if (!url || !/ {2}(curl|pnpm billing accounts create) .*\n/.test(out)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ url, apiKey, child, output: () => out, exited, stop });
    });
  });
}
