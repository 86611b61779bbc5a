import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { freshDatabase } from './databases';
import { autocannonSpends } from './load';
import { Measurer } from './measure';
import { prepareNaiveDatabase } from './pgbench-baseline';
import { spawnPeer } from './peers/spawn-peer';
import { figures, fmt, lastLine, type Results, record, resultsTable, targetsTable } from './report';
import { seedAccounts, seedHistory } from './seed';
import { spreadOf } from './stats';
import { startServerProcess } from './server-process';
import { assertAllSucceeded } from './wrk';
import { REST, type Workload, workloads } from './workloads';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const HISTORY_ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);
/** Only a run with the full settings replaces the figures in docs/performance.md; smoke runs just print. */
const FULL_RUN = SECONDS >= 10 && RUNS >= 3 && HISTORY_ROWS >= 1_000_000 && CLIENTS === 64;
const BENCH_DB = 'contox_bench';

function log(msg: string) {
  process.stderr.write(`bench: ${msg}\n`);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Seeds through its own connections and closes them: pgbench's 64 clients need the room under max_connections. */
async function seed(dbUrl: string) {
  const sql = postgres(dbUrl, { max: 4, onnotice: () => {} });
  try {
    return await seedAll(sql);
  } finally {
    await sql.end();
  }
}

async function seedAll(sql: postgres.Sql) {
  const now = new Date();
  log('seeding 1,000 spend accounts, 100 ingest accounts, 2 read accounts');
  const spread = await seedAccounts(sql, { prefix: 's', count: 1000, plan: 'personal', balance: 1_000_000_000, now });
  const ingest = await seedAccounts(sql, { prefix: 'i', count: 100, plan: 'enterprise', balance: 0, now });
  const [small, big] = await seedAccounts(sql, { prefix: 'r', count: 2, plan: 'personal', balance: 0, now });
  await seedHistory(sql, small!.accountId, 1_000);
  log(`seeding ${fmt(HISTORY_ROWS)} ledger rows of history`);
  await seedHistory(sql, big!.accountId, HISTORY_ROWS);
  return { spread: spread.map((a) => a.key), ingest: ingest.map((a) => a.key), small: small!.key, big: big!.key };
}

/** Everything measured besides the REST server: pgbench's database, the naive peer and the echo. */
async function startPeers(spreadKeys: string[], dir: string) {
  const pgbenchUrl = await prepareNaiveDatabase(ADMIN_URL, 'contox_bench_pgbench');
  const peerUrl = await prepareNaiveDatabase(ADMIN_URL, 'contox_bench_peer');
  // The peer's account ids are pgbench's: the bench's n-th spend account is balance row n + 1 (the hot one is 1).
  const keysFile = join(dir, 'peer-keys.json');
  writeFileSync(keysFile, JSON.stringify(Object.fromEntries(spreadKeys.map((k, i) => [sha256(k), i + 1]))));
  const peer = await spawnPeer('naive-peer', { DATABASE_URL: peerUrl, PEER_KEYS_FILE: keysFile });
  const echo = await spawnPeer('echo-server');
  return { pgbench: { url: pgbenchUrl, name: 'contox_bench_pgbench' }, peer, echo };
}

/** Every workload's targets in turn (REST, pgbench, peer, echo, REST, …), `RUNS` rounds over all workloads. */
async function measureAll(measurer: Measurer, list: Workload[]): Promise<Results> {
  const results: Results = new Map();
  for (let round = 1; round <= RUNS; round++) {
    for (const w of list) {
      for (const t of w.targets) {
        const s = await measurer.measure(t, w.seconds, w.warmup);
        record(results, w.key, t.label, s);
        log(
          `round ${round}/${RUNS}, ${w.title}, ${t.label}: ${fmt(s.throughput)} 2xx/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`,
        );
      }
    }
  }
  return results;
}

function writeDoc(block: string) {
  const docPath = fileURLToPath(new URL('../../../docs/performance.md', import.meta.url));
  // Only the measured block is rewritten: the analysis around it is prose kept by hand.
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
  const wrapped = `<!-- bench:start -->\n${block}\n<!-- bench:end -->`;
  writeFileSync(docPath, marked.test(previous) ? previous.replace(marked, wrapped) : `# Performance\n\n${wrapped}\n`);
}

/** autocannon, from this process, on the REST spend over 1,000 accounts: one run beside wrk's median. */
async function secondOpinion(url: string, keys: string[], results: Results): Promise<string> {
  log('second opinion: autocannon on the REST spend over 1,000 accounts');
  const r = await autocannonSpends(url, { connections: CLIENTS, seconds: SECONDS, keys });
  assertAllSucceeded('autocannon, REST spend over 1,000 accounts', r);
  const wrk = spreadOf((results.get('spread')?.get(REST) ?? []).map((s) => s.throughput)).median;
  return `autocannon (in the bench process, one run) measured the REST spend over 1,000 accounts at ${fmt(r.throughput)} 2xx/s, wrk's median ${fmt(wrk)}`;
}

function compose(
  list: Workload[],
  results: Results,
  meta: { settings: string; load: number; peak: number; second: string },
): string {
  return [
    [
      `Measured ${new Date().toISOString()} on this machine (${cpus().length} cores, shared with other work: load average ${meta.load.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end), Postgres ${meta.settings}.`,
      `Each workload's sides ran in turn, ${RUNS} rounds, ${SECONDS} s per run (reads ${Math.max(3, Math.round(SECONDS / 2))} s), each run after its own warm-up, \`vacuum analyze\` of its database and a checkpoint. Load from wrk; only 2xx answers count, and any other answer, error, failed transaction or aborted pgbench client fails the bench.`,
      `REST server peak memory (VmHWM): ${fmt(meta.peak)} MiB. Second opinion: ${meta.second}.`,
    ].join('\n'),
    resultsTable(list, results),
    targetsTable(figures(results), meta.peak),
    `\`${lastLine(figures(results))}\``,
  ].join('\n\n');
}

/** The commit settings both sides pay for, printed with the figures. */
async function commitSettings(admin: postgres.Sql): Promise<string> {
  const [row] = await admin`select current_setting('synchronous_commit') as sync, current_setting('fsync') as fsync`;
  return `synchronous_commit=${row?.sync}, fsync=${row?.fsync}`;
}

async function main() {
  const started = Date.now();
  const load = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'contox-bench-'));
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const measurer = new Measurer(ADMIN_URL, admin);
  const running: { stop(): Promise<void> }[] = [];
  try {
    const settings = await commitSettings(admin);
    log(`${settings}, ${CLIENTS} clients, ${SECONDS} s per run, ${WARMUP} s warm-up, ${RUNS} rounds`);
    const dbUrl = await freshDatabase(ADMIN_URL, BENCH_DB);
    const server = await startServerProcess({ DATABASE_URL: dbUrl });
    running.push(server);
    const keys = await seed(dbUrl);
    const { pgbench, peer, echo } = await startPeers(keys.spread, dir);
    running.push(peer, echo);
    const list = workloads({
      ...{ pgbench, keys, clients: CLIENTS, seconds: SECONDS, warmup: WARMUP, historyRows: HISTORY_ROWS },
      rest: { url: server.url, pid: server.child.pid!, database: BENCH_DB },
      peer: { ...peer, database: 'contox_bench_peer' },
      echo: { ...echo, database: null },
    });
    const results = await measureAll(measurer, list);
    const second = await secondOpinion(server.url, keys.spread, results);
    const text = compose(list, results, { settings, load, peak: server.peakMemoryMiB(), second });
    if (FULL_RUN) writeDoc(text);
    else log('short or partial run: docs/performance.md left as it was');
    log(`took ${Math.round((Date.now() - started) / 1000)} s`);
    process.stdout.write(`${text}\n\n${lastLine(figures(results))}\n`);
  } finally {
    await Promise.all(running.map((p) => p.stop()));
    await Promise.all([measurer.end(), admin.end()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
