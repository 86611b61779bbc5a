import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { scaled } from '@contox/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers';

// `npm start` is npm → sh → the server. A SIGTERM to its top (a process manager, a container runtime, a
// terminal closing) must reach the server, or the server lives on as an orphan holding the port and the
// data folder. The install and build steps need the network and minutes, so they are left out here: the
// steps after them run exactly as the root package.json writes them, under npm.

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'contox-npm-start-'));
const started: ChildProcess[] = [];
afterAll(() => {
  // Whatever a failed case left in its process group (an orphaned server, above all) goes with it.
  for (const npm of started) {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // The group is empty: everything stopped.
    }
  }
  rmSync(work, { recursive: true, force: true });
});

const PREPARING = [/^sh scripts\/setup\.sh$/, /^sh scripts\/pnpm\.sh turbo run build\b/];

/** The root start script without its install and build steps, run from the repository root. */
function serveSteps(): string {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const steps = scripts.start.split(' && ');
  const rest = steps.filter((step) => !PREPARING.some((p) => p.test(step)));
  expect(steps.length - rest.length, `the start script changed: ${scripts.start}`).toBe(PREPARING.length);
  return [`cd '${root}'`, ...rest].join(' && ');
}

/** `npm start` in a package whose start script is those steps, in a process group of its own (a terminal's). */
function npmStart(name: string): { npm: ChildProcess; output: () => string } {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, scripts: { start: serveSteps() } }));
  const npm = spawn('npm', ['start'], {
    cwd: dir,
    detached: true,
    env: { ...process.env, DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(npm);
  let out = '';
  npm.stdout!.on('data', (d: Buffer) => (out += d));
  npm.stderr!.on('data', (d: Buffer) => (out += d));
  return { npm, output: () => out };
}

/** Every process below `pid` (npm's shell and what it runs). */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const below = rows.filter(([, ppid]) => ppid === pid).map(([child]) => child);
  return below.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function servingUrl(output: () => string): Promise<string> {
  let url: string | undefined;
  for (const deadline = Date.now() + scaled(90_000); !url && Date.now() < deadline; await sleep(50)) {
    url = /curl -H .* (http:\/\/\S+)\/api\/billing\/credits/.exec(output())?.[1];
  }
  if (!url) throw new Error(`npm start printed no banner:\n${output()}`);
  return url;
}

async function expectStopsWith(signal: 'SIGTERM' | 'SIGINT', toGroup: boolean, name: string) {
  const { npm, output } = npmStart(name);
  const url = await servingUrl(output);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const below = descendants(npm.pid!);
  expect(below.length, 'npm runs the server below it').toBeGreaterThan(0);
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  // Ctrl-C in a terminal signals the whole foreground group: the server hears it twice (npm forwards it too).
  process.kill(toGroup ? -npm.pid! : npm.pid!, signal);
  expect(await exited, output()).toBe(0);
  expect(await eventually(() => below.every((pid) => !alive(pid)), 15_000), `left running:\n${output()}`).toBe(true);
  // One shutdown, however many times the signal arrived.
  expect(output().match(/"msg":"stopping/g)).toHaveLength(1);
  expect(output()).toContain('"msg":"stopped"');
}

describe('npm start and signals', () => {
  it('SIGTERM to npm stops the server cleanly, leaving no process behind', () =>
    expectStopsWith('SIGTERM', false, 'sigterm'));

  it("Ctrl-C (SIGINT to the terminal's process group) stops it cleanly too", () =>
    expectStopsWith('SIGINT', true, 'sigint'));
});
