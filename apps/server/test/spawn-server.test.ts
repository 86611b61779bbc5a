import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { scaled } from '@contox/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { NoBannerError, spawnServer } from '../src/spawn-server';

const dataDir = mkdtempSync(join(tmpdir(), 'contox-spawn-'));
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const others: ChildProcess[] = [];
afterAll(() => {
  for (const c of others) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the process is gone; false if it outlived the budget. */
async function goneWithin(pid: number, budgetMs: number): Promise<boolean> {
  for (const deadline = Date.now() + budgetMs; Date.now() < deadline; await sleep(50)) if (!alive(pid)) return true;
  return !alive(pid);
}

const neverBanner = (nodeArgs: string[], bannerMs: number) =>
  spawnServer({ DATA_DIR: join(dataDir, 'never'), LOG_LEVEL: 'error' }, nodeArgs, { bannerMs, stopGraceMs: 300 });

describe('a server spawned for a test', () => {
  it('is killed when it misses its banner, before the promise rejects', async () => {
    // 50 ms is far too short for the server to boot and print its banner.
    const err = await neverBanner([], 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoBannerError);
    const { pid, signal } = err as NoBannerError;
    expect(alive(pid!)).toBe(false);
    expect(signal).toBe('SIGTERM');
  });

  it('is killed with SIGKILL when it ignores SIGTERM', async () => {
    // Loaded before the server: ignores SIGTERM, then holds the start for good, so no banner can come.
    const stuck = 'process.on("SIGTERM", () => {}); setInterval(() => {}, 60000); await new Promise(() => {});';
    const err = await neverBanner(['--import', `data:text/javascript,${stuck}`], 3_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoBannerError);
    const { pid, signal } = err as NoBannerError;
    expect(alive(pid!)).toBe(false);
    expect(signal).toBe('SIGKILL');
  });

  it('stops by itself when the process that spawned it is killed with SIGKILL', async () => {
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/spawning-parent.ts', join(dataDir, 'up')],
      {
        cwd: serverDir,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    others.push(parent);
    let out = '';
    parent.stdout!.on('data', (d: Buffer) => {
      out += d;
    });
    let pid: number | undefined;
    for (const deadline = Date.now() + scaled(60_000); !pid && Date.now() < deadline; await sleep(50)) {
      pid = Number(/server pid (\d+)/.exec(out)?.[1]) || undefined;
    }
    expect(pid, 'the server never came up').toBeDefined();
    expect(alive(pid!)).toBe(true);
    parent.kill('SIGKILL');
    expect(await goneWithin(pid!, scaled(15_000))).toBe(true);
  });
});
