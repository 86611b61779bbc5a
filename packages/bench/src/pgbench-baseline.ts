import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freshDatabase } from './databases';
import { percentile } from './stats';

export interface PgbenchResult {
  /** Successful transactions per second (pgbench's tps without the initial connection time). */
  throughput: number;
  /** Successful transactions. */
  requests: number;
  /** Transactions pgbench counted as failed. */
  failed: number;
  /** Clients that stopped on an error: their share of the run is simply missing from the tps. */
  aborted: number;
  p50: number;
  p99: number;
}

/** The naive spend as a peer would write it: one transaction per request, conditional update + ledger insert. */
export const NAIVE_SPEND_SQL = (hot: boolean) => `${hot ? '\\set aid 1' : '\\set aid random(1, 1000)'}
BEGIN;
UPDATE balances SET balance = balance - 1 WHERE id = :aid AND balance >= 1;
INSERT INTO ledger (account_id, amount, ref) VALUES (:aid, -1, md5(random()::text));
END;
`;

/**
 * A fresh database with the naive schema: 1,000 balances and an empty ledger. Used by pgbench and by the
 * naive REST peer (each in its own database), so both write the same rows.
 */
export async function prepareNaiveDatabase(adminUrl: string, name: string): Promise<string> {
  const url = await freshDatabase(adminUrl, name);
  const db = postgres(url, { max: 1, onnotice: () => {} });
  await db.unsafe(`create table balances (id int primary key, balance bigint not null check (balance >= 0));
    create table ledger (id bigserial primary key, account_id int not null, amount bigint not null, ref text unique, created_at timestamptz not null default now());
    insert into balances select g, 1000000000 from generate_series(1, 1000) g;`);
  await db.end();
  return url;
}

/** Reads pgbench's summary and its error lines; a client that aborted names itself on stderr. */
export function parsePgbenchOutput(stdout: string, stderr: string): Omit<PgbenchResult, 'p50' | 'p99'> {
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
  const tps = /tps = ([\d.]+)/.exec(stdout);
  const aborted = new Set([...stderr.matchAll(/client (\d+) (?:script \d+ )?aborted/g)].map((m) => m[1]));
  return {
    throughput: tps ? Number(tps[1]) : 0,
    requests: processed ? Number(processed[1]) : 0,
    failed: Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0),
    aborted: aborted.size,
  };
}

/** pgbench counts a run with failed transactions or aborted clients in its tps anyway; the bench does not. */
export function assertPgbenchSucceeded(label: string, r: Pick<PgbenchResult, 'failed' | 'aborted'>): void {
  if (r.failed === 0 && r.aborted === 0) return;
  throw new Error(`${label}: ${r.failed} failed transactions and ${r.aborted} aborted clients; not reported`);
}

function pgbench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `sql` as pgbench's script (prepared statements, per-transaction log for the percentiles). */
export async function runPgbench(
  url: string,
  opts: { sql: string; clients: number; seconds: number },
): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'contox-pgbench-'));
  try {
    const script = join(dir, 'script.sql');
    writeFileSync(script, opts.sql);
    const u = new URL(url);
    const threads = String(Math.min(2, opts.clients));
    const { code, stdout, stderr } = await pgbench([
      ...['-n', '-M', 'prepared', '-c', String(opts.clients), '-j', threads, '-T', String(opts.seconds)],
      ...['-f', script, '-l', '--log-prefix', join(dir, 'log')],
      ...['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username) || 'postgres'],
      u.pathname.slice(1),
    ]);
    const summary = parsePgbenchOutput(stdout, stderr);
    // Exit code 2 with every client counted is still an abort pgbench only reported in prose.
    if (code !== 0 && summary.aborted === 0) throw new Error(`pgbench exited with ${code}:\n${stdout}${stderr}`);
    const latencies: number[] = [];
    for (const f of readdirSync(dir).filter((f) => f.startsWith('log'))) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return { ...summary, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
