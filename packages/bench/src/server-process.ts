import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SpawnedServer, spawnServer } from '@contox/server/spawn';

export interface ServerProcess extends SpawnedServer {
  /** Peak resident memory of the server process so far (VmHWM), in MiB. */
  peakMemoryMiB(): number;
}

const repo = fileURLToPath(new URL('../../..', import.meta.url));
let bundle: string | undefined;

/** The production bundle, built once per bench process: what the image runs, so what is measured. */
function productionBundle(): string {
  if (!bundle) {
    const dir = join(mkdtempSync(join(tmpdir(), 'contox-bench-bundle-')), 'app');
    execFileSync('sh', ['scripts/build-production.sh', dir], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    bundle = dir;
  }
  return bundle;
}

/**
 * The real server in its own process, so the load generator does not share its event loop: the production
 * bundle run with plain node, as the image runs it (tsx costs ~85 MiB of resident memory more). With
 * `profileDir` (or BENCH_CPU_PROFILE=<dir>) it runs from the sources instead, so the V8 CPU profile names
 * source files (the stages are told apart by them), and writes the profile there when it stops.
 */
export async function startServerProcess(
  env: Record<string, string>,
  profileDir = process.env.BENCH_CPU_PROFILE,
): Promise<ServerProcess> {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const server = await spawnServer(
    { RATE_LIMIT_PER_MINUTE: '100000000', NODE_ENV: 'production', ...env },
    profile,
    {},
    profileDir ? undefined : productionBundle(),
  );
  return {
    ...server,
    peakMemoryMiB() {
      const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
    },
  };
}
