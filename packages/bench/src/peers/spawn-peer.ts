import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface PeerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const benchDir = fileURLToPath(new URL('../..', import.meta.url));

/** Starts `src/peers/<name>.ts` in its own process (as the real server runs) and resolves with its port. */
export function spawnPeer(name: 'echo-server' | 'naive-peer', env: Record<string, string> = {}): Promise<PeerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/peers/${name}.ts`], {
    cwd: benchDir,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  child.stderr.on('data', (d: Buffer) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} ${why}:\n${out}`));
    };
    const timer = setTimeout(() => fail('printed no port in 60 s'), 60_000);
    const onExit = (code: number | null) => fail(`exited with ${code}`);
    child.once('exit', onExit);
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const port = /listening (\d+)/.exec(out)?.[1];
      if (!port) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ url: `http://127.0.0.1:${port}`, pid: child.pid!, stop });
    });
  });
}
