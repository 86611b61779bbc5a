import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../../../../apps/server', import.meta.url));

export interface ServerProcess {
  url: string;
  apiKey: string;
  child: ChildProcess;
  output(): string;
  /** Resolves once the process is gone (after `kill`). */
  exited: Promise<void>;
}

/** The real entry point in its own process, as `npm start` runs it (see apps/server/test/start-command.test.ts). */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
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
      resolve({ url, apiKey, child, output: () => out, exited });
    });
  });
}

export async function stopServerProcess(s: ServerProcess): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  await s.exited;
}
