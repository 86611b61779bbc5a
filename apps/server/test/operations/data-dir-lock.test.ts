import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../src/data-dir-lock';
import { NoBannerError, type SpawnedServer, spawnServer } from '../../src/spawn-server';
import { call, eventually } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'contox-lock-'));
const servers: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
const folder = () => {
  const dir = join(root, `dir-${n++}`);
  mkdirSync(dir);
  return dir;
};
const lockFile = (dir: string) => join(dir, 'server.lock');

/** A lock file as another server would have left it. */
function leftBy(dir: string, holder: { pid: number; host: string }, ageMs = 0): void {
  writeFileSync(lockFile(dir), JSON.stringify({ ...holder, token: 'someone-else', since: '2025-01-01T00:00:00Z' }));
  const at = new Date(Date.now() - ageMs);
  utimesSync(lockFile(dir), at, at);
}

const holderPid = (dir: string) => (JSON.parse(readFileSync(lockFile(dir), 'utf8')) as { pid: number }).pid;

describe('lockDataDir', () => {
  it('is refused while held, in this process too, and free again once released', () => {
    const dir = folder();
    const lock = lockDataDir(dir);
    expect(holderPid(dir)).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
    lockDataDir(dir).release();
  });

  it('is refused while a live process on this host holds it, naming the folder and the process', () => {
    const dir = folder();
    leftBy(dir, { pid: process.ppid, host: hostname() });
    expect(() => lockDataDir(dir)).toThrow(
      `The data folder ${resolve(dir)} is in use by another Contox Billing server (pid ${process.ppid} on ${hostname()}`,
    );
    expect(holderPid(dir)).toBe(process.ppid);
  });

  it('takes over a lock whose process on this host is gone (killed with -9)', () => {
    const dir = folder();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    leftBy(dir, { pid: gone, host: hostname() });
    const lock = lockDataDir(dir);
    expect(holderPid(dir)).toBe(process.pid);
    lock.release();
  });

  it('from another host (a container on a shared volume): refused while refreshed, taken once it is not', () => {
    const dir = folder();
    leftBy(dir, { pid: 1, host: 'another-container' });
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    leftBy(dir, { pid: 1, host: 'another-container' }, 60_000);
    const lock = lockDataDir(dir);
    expect(holderPid(dir)).toBe(process.pid);
    lock.release();
  });

  it("the holder keeps the file's time fresh, so other hosts can see it is alive", async () => {
    const dir = folder();
    const lock = lockDataDir(dir);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFile(dir), old, old);
    expect(await eventually(() => Date.now() - statSync(lockFile(dir)).mtimeMs < 30_000, 15_000)).toBe(true);
    lock.release();
  });
});

describe('two server processes on one data folder', () => {
  it('the second stops at once naming the folder, the first keeps serving; a kill -9 leaves nothing that blocks', async () => {
    const dir = folder();
    const first = await spawnServer({ DATA_DIR: dir });
    servers.push(first);
    const second = await spawnServer({ DATA_DIR: dir }).then(
      (s) => {
        servers.push(s);
        return new Error('a second server started on the same data folder');
      },
      (err: unknown) => err as Error,
    );
    expect(second).not.toBeInstanceOf(NoBannerError);
    expect(second.message).toMatch(/^server exited with 1:/);
    expect(second.message).toContain(`The data folder ${resolve(dir)} is in use by another Contox Billing server`);
    expect(second.message).toContain(`pid ${first.child.pid} `);
    expect((await call(first, 'GET', '/api/billing/credits')).status).toBe(200);

    first.child.kill('SIGKILL');
    await first.exited;
    const third = await spawnServer({ DATA_DIR: dir });
    servers.push(third);
    expect((await call(third, 'GET', '/api/billing/credits')).status).toBe(200);
    expect(holderPid(dir)).toBe(third.child.pid);
  });
});
