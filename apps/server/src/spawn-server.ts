import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

export interface SpawnedServer {
  url: string;
  apiKey: string;
  child: ChildProcess;
  /** Everything the process printed so far (banner and logs). */
  output(): string;
  /** Resolves once the process is gone, whatever ended it. */
  exited: Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * The real entry point in a process of its own, as `npm start` runs it, resolved once its banner is out.
 * For tests and the benchmark that need a separate process (restarts, kill -9, several servers, CPU).
 */
export function spawnServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const collect = (d: Buffer) => {
    out += d;
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${out}`)), 60_000);
    const onExit = (code: number | null) => reject(new Error(`server exited with ${code}:\n${out}`));
    child.once('exit', onExit);
    child.stdout!.on('data', () => {
      const url = /Dashboard:\s+(\S+)/.exec(out)?.[1];
      const apiKey = /Demo API key:\s+(\S+)/.exec(out)?.[1];
      if (!url || !apiKey || !/curl/.test(out)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ url, apiKey, child, output: () => out, exited, stop });
    });
  });
}
