import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freshDatabase } from './databases';
import { type CpuProfile, profileTable, summarizeProfile } from './profile-summary';
import { seedAccounts } from './seed';
import { startServerProcess } from './server-process';
import { wallStagesTable } from './wall-stages';
import { INGEST_BODY } from './workloads';
import { assertAllSucceeded, runWrk, writeWrkScript } from './wrk';

/**
 * `pnpm --filter @contox/bench cpu-profile [spread|hot|hot16|one|ingest]`: the REST server under one spend workload
 * (or the bench's usage ingest: calls of 1,000 events over 100 accounts) with a V8 CPU profile, then its CPU per call
 * by stage (HTTP, validation, auth, batch, database client, …),
 * counted only over the measured window. Batch wait and database time are not CPU of this process:
 * they show as idle here; the second table gives them, from the server's own histograms over the same window.
 */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SPEND = {
  method: 'POST',
  path: '/api/billing/credits/spend',
  plan: 'personal',
  seeded: 1000,
  bodyTemplate: JSON.stringify({ amount: 1, description: 'bench spend', idempotencyKey: '@@' }),
} as const;
// The bench's ingest workload (workloads.ts): its body, its 100 enterprise accounts (no limit), its 8 clients.
const INGEST = {
  method: 'POST',
  path: '/api/billing/usage/events',
  plan: 'enterprise',
  seeded: 100,
  bodyTemplate: INGEST_BODY,
} as const;
const WORKLOADS = {
  spread: { ...SPEND, clients: 64, accounts: 1000 },
  hot: { ...SPEND, clients: 64, accounts: 1 },
  hot16: { ...SPEND, clients: 16, accounts: 1 },
  one: { ...SPEND, clients: 1, accounts: 1 },
  ingest: { ...INGEST, clients: 8, accounts: 100 },
};

async function main() {
  const name = (process.argv[2] ?? 'spread') as keyof typeof WORKLOADS;
  const workload = WORKLOADS[name];
  if (!workload) throw new Error(`workload is one of ${Object.keys(WORKLOADS).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'contox-profile-'));
  const dbUrl = await freshDatabase(ADMIN_URL, process.env.BENCH_PROFILE_DB ?? 'contox_bench_profile');
  const server = await startServerProcess({ DATABASE_URL: dbUrl }, dir);
  try {
    const sql = postgres(dbUrl, { max: 4, onnotice: () => {} });
    const accounts = await seedAccounts(sql, {
      ...{ prefix: 'p', count: workload.seeded, plan: workload.plan, balance: 1_000_000_000, now: new Date() },
    }).finally(() => sql.end());
    const script = writeWrkScript({
      ...{ method: workload.method, path: workload.path, bodyTemplate: workload.bodyTemplate },
      keys: accounts.slice(0, workload.accounts).map((a) => a.key),
    });
    const load = { script, connections: workload.clients };
    assertAllSucceeded('warm-up', await runWrk(server.url, { ...load, seconds: 2 }));
    const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
    const before = await metrics();
    const from = Number(process.hrtime.bigint() / 1000n);
    const r = await runWrk(server.url, { ...load, seconds: SECONDS });
    const to = Number(process.hrtime.bigint() / 1000n);
    const after = await metrics();
    assertAllSucceeded(`profile, ${name}`, r);
    await server.stop();
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no CPU profile');
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    // To read in DevTools or a script: the whole profile, with its call tree.
    if (process.env.BENCH_PROFILE_OUT) copyFileSync(join(dir, file), process.env.BENCH_PROFILE_OUT);
    process.stdout.write(
      `REST ${workload.path}, ${name} (${workload.clients} clients, ${SECONDS} s): ${Math.round(r.throughput)} 2xx/s, p50 ${r.p50.toFixed(2)} ms\n\n`,
    );
    process.stdout.write(`${profileTable(summarizeProfile(profile, from, to), r.ok)}\n`);
    process.stdout.write(`\n${wallStagesTable(before, after)}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`profile failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
