import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one wrk run sends: every request picks one of `keys` at random; `@@` in the body becomes a unique id. */
export interface WrkRequest {
  method: 'GET' | 'POST';
  path: string;
  keys: string[];
  bodyTemplate?: string;
}

export interface WrkResult {
  /** Answers with a 2xx status: the only ones throughput counts. */
  ok: number;
  non2xx: number;
  /** Connect, read and write errors and timeouts: requests that got no answer. */
  socketErrors: number;
  /** Answers of any status. */
  requests: number;
  seconds: number;
  /** 2xx answers per second. */
  throughput: number;
  p50: number;
  p99: number;
}

const RESULT_TAG = 'BENCH_RESULT ';

/** A Lua string literal; the inputs are ours, so plain ASCII is all that must be supported. */
function lua(s: string): string {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`not printable ASCII: ${s.slice(0, 40)}`);
  return JSON.stringify(s);
}

/**
 * The Lua script: ids are `<prefix>-<thread>-<n>`, the prefix passed per run, so no two requests of any run
 * share an idempotency key or event id. Statuses are counted per thread (wrk's own error count only sees
 * statuses ≥ 400) and summed in `done`, which prints one JSON line for `parseWrkOutput`.
 */
export function wrkScript(r: WrkRequest): string {
  return `local keys = { ${r.keys.map(lua).join(', ')} }
local method, path, template = ${lua(r.method)}, ${lua(r.path)}, ${r.bodyTemplate === undefined ? 'nil' : lua(r.bodyTemplate)}
local threads = {}
n, ok, non2xx, prefix = 0, 0, 0, ''
function setup(thread)
  table.insert(threads, thread)
  thread:set('tid', #threads)
end
function init(args)
  prefix = args[1] or 'run'
  math.randomseed(tid * 7919)
end
function request()
  n = n + 1
  local headers = { ['Authorization'] = 'Bearer ' .. keys[math.random(#keys)] }
  if template == nil then return wrk.format(method, path, headers) end
  headers['Content-Type'] = 'application/json'
  local body = template:gsub('@@', prefix .. '-' .. tid .. '-' .. n)
  return wrk.format(method, path, headers, body)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do o = o + t:get('ok'); b = b + t:get('non2xx') end
  local e = summary.errors
  io.write(string.format('${RESULT_TAG}{"ok":%d,"non2xx":%d,"socketErrors":%d,"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d}\\n',
    o, b, e.connect + e.read + e.write + e.timeout, summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end
`;
}

/** The result line of `wrkScript`'s `done` in wrk's output. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (!line) throw new Error(`wrk printed no result line:\n${stdout}`);
  const raw = JSON.parse(line.slice(RESULT_TAG.length)) as Record<string, number>;
  const seconds = raw.durationUs! / 1e6;
  return {
    ok: raw.ok!,
    non2xx: raw.non2xx!,
    socketErrors: raw.socketErrors!,
    requests: raw.requests!,
    seconds,
    throughput: raw.ok! / seconds,
    p50: raw.p50Us! / 1000,
    p99: raw.p99Us! / 1000,
  };
}

/** A run with any answer that is not 2xx, or any request without an answer, is not a measurement. */
export function assertAllSucceeded(label: string, r: WrkResult): void {
  if (r.non2xx === 0 && r.socketErrors === 0) return;
  throw new Error(
    `${label}: ${r.non2xx} non-2xx answers and ${r.socketErrors} requests without an answer (of ${r.requests} answered); a run with failures is not reported`,
  );
}

const scriptDir = mkdtempSync(join(tmpdir(), 'contox-wrk-'));
process.once('exit', () => rmSync(scriptDir, { recursive: true, force: true }));
let scripts = 0;
let runs = 0;

/** Writes the script once; the returned path is passed to `runWrk`. */
export function writeWrkScript(r: WrkRequest): string {
  const file = join(scriptDir, `s${scripts++}.lua`);
  writeFileSync(file, wrkScript(r));
  return file;
}

/**
 * Closed-loop keep-alive load from wrk. One wrk thread by default: on 2 cores a second one takes CPU from the
 * server under test, and one thread drives well over the HTTP ceiling measured here.
 */
export function runWrk(
  url: string,
  opts: { script: string; connections: number; seconds: number; threads?: number },
): Promise<WrkResult> {
  const threads = Math.min(opts.threads ?? Number(process.env.BENCH_WRK_THREADS ?? 1), opts.connections);
  const prefix = `w${process.pid}x${Date.now().toString(36)}x${runs++}`;
  const args = ['-t', String(threads), '-c', String(opts.connections), '-d', `${opts.seconds}s`, '--timeout', '30s'];
  const child = spawn('wrk', [...args, '-s', opts.script, url, '--', prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}:\n${out}`));
      else resolve(parseWrkOutput(out));
    });
  });
}
