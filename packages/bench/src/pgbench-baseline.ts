import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { percentile } from './percentiles';

export interface Measured {
  throughput: number;
  p50: number;
  p99: number;
}

const DB = 'contox_bench_pgbench';

/** The naive spend as a peer would write it: one transaction per request, conditional update + ledger insert. */
const SCRIPT = (hot: boolean) => `${hot ? '\\set aid 1' : '\\set aid random(1, 1000)'}
BEGIN;
UPDATE balances SET balance = balance - 1 WHERE id = :aid AND balance >= 1;
INSERT INTO ledger (account_id, amount, ref) VALUES (:aid, -1, md5(random()::text));
END;
`;

export async function preparePgbench(adminUrl: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB} with (force)`);
  await admin.unsafe(`create database ${DB}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DB}`;
  const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await db.unsafe(`create table balances (id int primary key, balance bigint not null check (balance >= 0));
    create table ledger (id bigserial primary key, account_id int not null, amount bigint not null, ref text unique, created_at timestamptz not null default now());
    insert into balances select g, 1000000000 from generate_series(1, 1000) g;`);
  await db.end();
  return url.toString();
}

export function runPgbench(url: string, opts: { hot: boolean; clients: number; seconds: number }): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'contox-pgbench-'));
  try {
    const script = join(dir, 'spend.sql');
    writeFileSync(script, SCRIPT(opts.hot));
    const u = new URL(url);
    const out = execFileSync(
      'pgbench',
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(opts.clients),
        '-j',
        '2',
        '-T',
        String(opts.seconds),
        '-f',
        script,
        '-l',
        '--log-prefix',
        join(dir, 'log'),
        '-h',
        u.hostname,
        '-p',
        u.port || '5432',
        '-U',
        decodeURIComponent(u.username) || 'postgres',
        u.pathname.slice(1),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const latencies: number[] = [];
    for (const f of readdirSync(dir).filter((f) => f.startsWith('log'))) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return { throughput: tps, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
