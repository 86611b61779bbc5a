import { readFileSync } from 'node:fs';
import { type SpawnedServer, spawnServer } from '@contox/server/spawn';

export interface ServerProcess extends SpawnedServer {
  /** Peak resident memory of the server process so far (VmHWM), in MiB. */
  peakMemoryMiB(): number;
}

/**
 * The real server in its own process, so the load generator does not share its event loop. With
 * `profileDir` (or BENCH_CPU_PROFILE=<dir>) it writes a V8 CPU profile there when it stops.
 */
export async function startServerProcess(
  env: Record<string, string>,
  profileDir = process.env.BENCH_CPU_PROFILE,
): Promise<ServerProcess> {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const server = await spawnServer({ RATE_LIMIT_PER_MINUTE: '100000000', NODE_ENV: 'production', ...env }, profile);
  return {
    ...server,
    peakMemoryMiB() {
      const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
    },
  };
}
