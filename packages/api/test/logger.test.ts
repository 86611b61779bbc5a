import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const apiDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The logger writes to file descriptor 2 itself, so only a process of its own shows what reaches stderr.
const script = `
const { createLogger } = await import('./src/logger.ts');
const log = createLogger(process.env.LEVEL);
log.debug('debug line', { n: 1 });
log.info('info line', { n: 2 });
log.warn('warn line', { n: 3 });
log.error('error line', { n: 4 });
`;

async function logAt(level: string): Promise<{ stdout: string; lines: Record<string, unknown>[] }> {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: apiDir, env: { ...process.env, LEVEL: level } },
  );
  return {
    stdout,
    lines: stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

describe('createLogger', () => {
  it('writes one JSON line per entry at or above its level on stderr, nothing on stdout', async () => {
    const { stdout, lines } = await logAt('warn');
    expect(stdout).toBe('');
    expect(lines.map(({ level, msg, n }) => ({ level, msg, n }))).toEqual([
      { level: 'warn', msg: 'warn line', n: 3 },
      { level: 'error', msg: 'error line', n: 4 },
    ]);
    for (const line of lines) expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('writes every level at debug and nothing at silent', async () => {
    expect((await logAt('debug')).lines.map((l) => l.level)).toEqual(['debug', 'info', 'warn', 'error']);
    expect(await logAt('silent')).toEqual({ stdout: '', lines: [] });
  });
});
