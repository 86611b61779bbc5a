import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../../../apps/server', import.meta.url));

export interface ServerProcess {
  url: string;
  apiKey: string;
  child: ChildProcess;
  /** Peak resident memory of the server process so far (VmHWM), in MiB. */
  peakMemoryMiB(): number;
  stop(): Promise<void>;
}

/** The real server, as `npm start` runs it, in its own process so the load generator does not share its core. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the server (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /Dashboard:\s+(\S+)/.exec(out)?.[1];
      const apiKey = /Demo API key:\s+(\S+)/.exec(out)?.[1];
      if (!url || !apiKey || !/curl/.test(out)) return;
      child.removeAllListeners('exit');
      resolve({
        url,
        apiKey,
        child,
        peakMemoryMiB() {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
        },
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
