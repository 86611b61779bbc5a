import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const migrations = fileURLToPath(new URL('../../../packages/db/migrations', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting what it printed. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface CommandLine {
  /** `pnpm billing …` as a process of its own, from apps/server, on `env`'s database. */
  billing(env: Record<string, string>, ...args: string[]): Promise<Ran>;
  close(): void;
}

/**
 * The billing command line compiled once, as scripts/build.mjs compiles it for the image (esbuild, the
 * workspace's TypeScript bundled, every npm package imported where pnpm installed it), and each call a plain
 * `node billing.js`: ~0.7 s of CPU a call where `node --import tsx src/commands/billing.ts` takes ~2.3 s,
 * almost all of it in tsx's module hooks. The same source as `pnpm billing` runs (tsx transpiles with the same
 * esbuild); billing-command.test.ts also runs `pnpm billing` itself, through the workspace script.
 */
export async function compiledCommandLine(): Promise<CommandLine> {
  const dir = mkdtempSync(join(tmpdir(), 'contox-billing-cli-bundle-'));
  // drizzle's migrator reads ../migrations beside the bundle's folder (packages/db/src/migrate.ts), as in the image.
  symlinkSync(migrations, join(dir, 'migrations'));
  mkdirSync(join(dir, 'dist'));
  await build({
    entryPoints: { billing: join(serverDir, 'src/commands/billing.ts') },
    outdir: join(dir, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    // Node's own conditions only (esbuild would add `module`): each npm package loads as Node would load it.
    conditions: [],
    logLevel: 'warning',
    plugins: [
      {
        name: 'npm-packages-where-installed',
        setup(b) {
          // An npm package stays an import, by its absolute path: the bundle is outside the workspace, where
          // Node would not find pnpm's node_modules.
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (/^@contox\//.test(args.path) || args.path.startsWith('node:') || args.pluginData === 'resolving') {
              return undefined;
            }
            const found = await b.resolve(args.path, {
              kind: args.kind,
              importer: args.importer,
              resolveDir: args.resolveDir,
              pluginData: 'resolving',
            });
            return found.errors.length > 0 ? { errors: found.errors } : { path: found.path, external: true };
          });
        },
      },
    ],
  });
  const entry = join(dir, 'dist', 'billing.js');
  return {
    billing: (env, ...args) => run(process.execPath, ['--enable-source-maps', entry, ...args], serverDir, env),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
