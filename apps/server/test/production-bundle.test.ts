import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { scaled } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './operations/helpers';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const KEY = 'contox_sk_production_bundle_00001';

/** What the Dockerfile's CMD says, read from the Dockerfile itself so the two cannot drift apart. */
function imageCommand(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(repo, 'Dockerfile'), 'utf8'))?.[1];
  if (!cmd) throw new Error('the Dockerfile has no CMD [...] line');
  return JSON.parse(cmd) as string[];
}

/** The Dockerfile's build step, run here: the line that calls scripts/build-production.sh. */
function imageBuildStep(): string {
  const line = /sh scripts\/build-production\.sh \S+/.exec(readFileSync(join(repo, 'Dockerfile'), 'utf8'))?.[0];
  if (!line) throw new Error('the Dockerfile does not build with scripts/build-production.sh');
  return line;
}

/** One GET as it goes over the wire (fetch would decode the body), with its byte count. */
function rawGet(target: string, acceptEncoding: string): Promise<{ headers: IncomingHttpHeaders; size: number }> {
  return new Promise((resolve, reject) => {
    get(target, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      res.once('end', () => resolve({ headers: res.headers, size }));
    }).once('error', reject);
  });
}

/** Bytes of every file under `dir` (what the image's application layer weighs). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

describe('the production bundle, built and started as the image does', () => {
  const work = mkdtempSync(join(tmpdir(), 'contox-bundle-'));
  const app = join(work, 'app');
  let server: ChildProcess;
  let url = '';
  let out = '';

  beforeAll(async () => {
    const [sh, script] = imageBuildStep().split(' ');
    await promisify(execFile)(sh!, [script!, app], { cwd: repo, timeout: scaled(120_000) });
    const [node, ...args] = imageCommand();
    expect(node).toBe('node');
    // The image's environment: no tsx, no dev dependencies, nothing of the repository but the bundle folder.
    server = spawn(process.execPath, args, {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: '0',
        DATA_DIR: join(work, 'data'),
        BILLING_BOOTSTRAP_API_KEY: KEY,
        TRUST_PROXY: '1',
        RATE_LIMIT_PER_MINUTE: '3',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    const started = await eventually(() => /Dashboard:\s+\S+/.test(out) || server.exitCode !== null, 60_000);
    expect(started && server.exitCode === null, out).toBe(true);
    url = /Dashboard:\s+(\S+)/.exec(out)![1]!;
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('holds compiled JavaScript and production dependencies only', () => {
    expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    // The workspace's dev dependencies. (tsx and vite may still arrive as peers of a production package: the
    // server never loads them, it runs with plain node.)
    for (const dev of ['vitest', '@vitest', '@biomejs', 'drizzle-kit', 'playwright-core', 'fast-check', 'turbo']) {
      expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    }
    expect(readFileSync(join(app, 'dist/main.js'), 'utf8')).not.toMatch(/from ["']@contox\//);
    // The API reference's front-end toolchain (~330 MB with Scalar's package) stays out: only its script is kept.
    expect(existsSync(join(app, 'node_modules', '@scalar'))).toBe(false);
    expect(existsSync(join(app, 'dist/scalar/standalone.js'))).toBe(true);
    expect(folderBytes(app) / 2 ** 20).toBeLessThan(200);
  });

  it('serves /healthz, the REST API, the dashboard precompressed, all with security headers', async () => {
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'embedded' });
    const credits = await fetch(`${url}/api/billing/credits`, {
      headers: { authorization: `Bearer ${KEY}`, 'x-forwarded-for': '198.51.100.7' },
    });
    expect(credits.status).toBe(200);
    expect(await credits.json()).toMatchObject({ balance: 0 });

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('strict-transport-security')).toBeNull();
    // The API reference, with the script it loads from the installed package.
    const docs = await fetch(`${url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toBe(csp);
    const docsScript = /<script src="([^"]+)"/.exec(await docs.text())?.[1];
    expect((await fetch(`${url}${docsScript}`)).status).toBe(200);

    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())![1]!;
    const plain = await rawGet(`${url}${script}`, 'identity');
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await rawGet(`${url}${script}`, accept);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.size).toBeLessThan(plain.size / 2);
    }
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('keys the rate limit on the client address the trusted proxy forwards', async () => {
    const plans = (forwardedFor: string) =>
      fetch(`${url}/api/billing/plans`, { headers: { 'x-forwarded-for': forwardedFor } }).then((r) => r.status);
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await plans('203.0.113.1'));
    expect(first).toEqual([200, 200, 200, 429]);
    // Another client behind the same proxy has a window of its own.
    expect(await plans('203.0.113.2')).toBe(200);
    // A client cannot pick its address: the proxy appends the real one, only that one hop is trusted.
    expect(await plans('203.0.113.2, 203.0.113.1')).toBe(429);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
