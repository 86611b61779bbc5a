import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const want = (
  JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { packageManager: string }
).packageManager.split('@')[1]!;

/**
 * scripts/pnpm.sh in a folder of its own (with the repository's package.json), on a PATH whose `pnpm` reports
 * `globalVersion` and whose `npm` only records how it was called and lays out the pnpm it was asked for.
 */
function sandbox(globalVersion: string) {
  const dir = mkdtempSync(join(tmpdir(), 'contox-setup-'));
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  mkdirSync(join(root, 'scripts'), { recursive: true });
  mkdirSync(bin);
  copyFileSync(join(repo, 'scripts/pnpm.sh'), join(root, 'scripts/pnpm.sh'));
  copyFileSync(join(repo, 'package.json'), join(root, 'package.json'));
  const script = (path: string, body: string) => {
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  };
  script(join(bin, 'pnpm'), `[ "$1" = --version ] && echo ${globalVersion} || echo "global pnpm $*"`);
  // The local pnpm answers its version, and otherwise which pnpm its children would find.
  const local = `[ "$1" = --version ] && echo ${want} || echo "local pnpm $* / PATH finds $(command -v pnpm)"`;
  script(
    join(bin, 'npm'),
    `echo "$*" >> ${join(dir, 'npm-calls')}
prefix=$(echo "$*" | sed -n 's/.*--prefix \\([^ ]*\\).*/\\1/p')
mkdir -p "$prefix/node_modules/.bin"
printf '#!/bin/sh\\n%s\\n' '${local}' > "$prefix/node_modules/.bin/pnpm"
chmod +x "$prefix/node_modules/.bin/pnpm"`,
  );
  const run = async (...args: string[]) =>
    (
      await promisify(execFile)('sh', ['scripts/pnpm.sh', ...args], {
        cwd: root,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      })
    ).stdout.trim();
  const npmCalls = () =>
    existsSync(join(dir, 'npm-calls')) ? readFileSync(join(dir, 'npm-calls'), 'utf8').trim().split('\n') : [];
  return { dir, root, bin, run, npmCalls };
}

describe('scripts/pnpm.sh: the pinned pnpm without touching the machine', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('installs the pinned pnpm into .tools of the project, never globally, once, and puts it first on the PATH', async () => {
    const box = sandbox('9.0.0');
    made.push(box.dir);
    const tools = join(box.root, '.tools', `pnpm-${want}`);
    expect(await box.run('turbo', 'run', 'test')).toBe(
      `local pnpm turbo run test / PATH finds ${join(tools, 'node_modules/.bin/pnpm')}`,
    );
    expect(box.npmCalls()).toHaveLength(1);
    expect(box.npmCalls()[0]).toContain(`--prefix ${tools}`);
    expect(box.npmCalls()[0]).toContain(`pnpm@${want}`);
    expect(box.npmCalls()[0]).not.toMatch(/(^|\s)(-g|--global)(\s|$)/);
    // The machine's own pnpm is still the one it was.
    expect(readFileSync(join(box.bin, 'pnpm'), 'utf8')).toContain('echo 9.0.0');
    await box.run('install');
    expect(box.npmCalls()).toHaveLength(1);
  });

  it('uses a pnpm already on the PATH at the pinned version as it is', async () => {
    const box = sandbox(want);
    made.push(box.dir);
    expect(await box.run('install', '--frozen-lockfile')).toBe('global pnpm install --frozen-lockfile');
    expect(box.npmCalls()).toEqual([]);
  });

  it('is what the two commands, setup and CI run pnpm through', () => {
    const scripts = (
      JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.start).toMatch(/^sh scripts\/setup\.sh && sh scripts\/pnpm\.sh /);
    expect(scripts.test).toMatch(/^sh scripts\/setup\.sh && sh scripts\/pnpm\.sh /);
    expect(readFileSync(join(repo, 'scripts/setup.sh'), 'utf8')).toContain('sh scripts/pnpm.sh install');
    expect(readFileSync(join(repo, '.ci/run'), 'utf8')).toContain('sh scripts/pnpm.sh turbo run');
    for (const file of ['scripts/setup.sh', 'scripts/pnpm.sh', '.ci/run']) {
      expect(readFileSync(join(repo, file), 'utf8'), file).not.toMatch(/npm (install|i) (-g|--global)/);
    }
  });
});
