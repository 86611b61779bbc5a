import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { measureCpu } from './cpu-usage';
import { type LoadResult, load } from './load';
import { type Measured, preparePgbench, runPgbench } from './pgbench-baseline';
import { seedAccounts, seedHistory } from './seed';
import { startServerProcess } from './server-process';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BENCH_DB = 'contox_bench';

function log(msg: string) {
  process.stderr.write(`bench: ${msg}\n`);
}

async function freshDatabase(): Promise<string> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.unsafe(`create database ${BENCH_DB}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits }) : '–';

async function main() {
  const durable = postgres(ADMIN_URL, { max: 1 });
  const [{ synchronous_commit: sync, fsync }] =
    (await durable`select current_setting('synchronous_commit') as synchronous_commit, current_setting('fsync') as fsync`) as unknown as [
      { synchronous_commit: string; fsync: string },
    ];
  await durable.end();
  log(`postgres synchronous_commit=${sync} fsync=${fsync}, ${CLIENTS} clients, ${SECONDS} s per run`);

  log('pgbench baseline');
  const pgUrl = await preparePgbench(ADMIN_URL);
  const baseSpread = runPgbench(pgUrl, { hot: false, clients: CLIENTS, seconds: SECONDS });
  const baseHot = runPgbench(pgUrl, { hot: true, clients: CLIENTS, seconds: SECONDS });

  const dbUrl = await freshDatabase();
  const server = await startServerProcess({ DATABASE_URL: dbUrl });
  const sql = postgres(dbUrl, { max: 4, onnotice: () => {} });
  try {
    const now = new Date();
    log('seeding 1,000 spend accounts, 100 ingest accounts, 2 read accounts');
    const spread = await seedAccounts(sql, { prefix: 's', count: 1000, plan: 'personal', balance: 1_000_000_000, now });
    const [hot] = spread;
    const ingest = await seedAccounts(sql, { prefix: 'i', count: 100, plan: 'enterprise', balance: 0, now });
    const [small, big] = await seedAccounts(sql, { prefix: 'r', count: 2, plan: 'personal', balance: 0, now });
    await seedHistory(sql, small!.accountId, 1_000);
    log('seeding 1,000,000 transactions of history');
    await seedHistory(sql, big!.accountId, 1_000_000);
    // Vacuumed and checkpointed now, so autovacuum and the checkpointer are not working off the 1M seeded rows
    // during the measured runs: the pgbench baselines ran on a quiet database too.
    await sql`vacuum analyze`;
    await sql`checkpoint`;

    let n = 0;
    const spendTo = (account: { key: string }) => () => ({
      method: 'POST' as const,
      path: '/api/billing/credits/spend',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.key}` },
      body: JSON.stringify({ amount: 1, description: 'bench spend', idempotencyKey: `b${now.getTime()}-${n++}` }),
    });
    // Warm-up, not measured: JIT, prepared statements and the key cache, as a running service has them.
    await load(server.url, {
      connections: CLIENTS,
      seconds: 2,
      next: () => spendTo(spread[Math.floor(Math.random() * spread.length)]!)(),
    });
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    const pid = server.child.pid!;
    log('spend over 1,000 accounts through REST');
    const spendSpread = await measureCpu(admin, BENCH_DB, pid, SECONDS, () =>
      load(server.url, {
        connections: CLIENTS,
        seconds: SECONDS,
        next: () => spendTo(spread[Math.floor(Math.random() * spread.length)]!)(),
      }),
    );
    log('spend on one hot account through REST');
    const spendHot = await measureCpu(admin, BENCH_DB, pid, SECONDS, () =>
      load(server.url, { connections: CLIENTS, seconds: SECONDS, next: spendTo(hot!) }),
    );

    log('batch usage ingestion, 1,000 events per call');
    const template = JSON.stringify({
      events: Array.from({ length: 1000 }, (_, i) => ({
        id: `@@-${i}`,
        metric: i % 2 ? 'events' : 'sessions',
        quantity: 1,
      })),
    });
    let call = 0;
    const ingestRun = await measureCpu(admin, BENCH_DB, pid, SECONDS, () =>
      load(server.url, {
        connections: 8,
        seconds: SECONDS,
        next: () => ({
          method: 'POST',
          path: '/api/billing/usage/events',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${ingest[Math.floor(Math.random() * ingest.length)]!.key}`,
          },
          body: template.replaceAll('@@', `${now.getTime()}-${call++}`),
        }),
      }),
    );
    await admin.end();

    // Each read gets a one-second unmeasured warm-up, so its index pages are cached as in a running service.
    const read = async (key: string, path: string) => {
      const next = () => ({ method: 'GET' as const, path, headers: { authorization: `Bearer ${key}` } });
      await load(server.url, { connections: 16, seconds: 1, next });
      return load(server.url, { connections: 16, seconds: Math.max(3, Math.round(SECONDS / 2)), next });
    };
    log('reads with 1k and 1M transactions of history');
    const reads = {
      usage1k: await read(small!.key, '/api/billing/usage'),
      credits1k: await read(small!.key, '/api/billing/credits'),
      usage1m: await read(big!.key, '/api/billing/usage'),
      credits1m: await read(big!.key, '/api/billing/credits'),
    };
    const peak = server.peakMemoryMiB();

    const results: [string, LoadResult | Measured, string][] = [
      ['pgbench naive spend, 1,000 accounts', baseSpread, 'baseline'],
      ['pgbench naive spend, 1 hot account', baseHot, 'baseline'],
      ['REST spend, 1,000 accounts', spendSpread, `${(spendSpread.throughput / baseSpread.throughput).toFixed(2)}x`],
      ['REST spend, 1 hot account', spendHot, `${(spendHot.throughput / baseHot.throughput).toFixed(2)}x`],
      [
        'REST usage ingest (calls of 1,000 events, 100 accounts)',
        ingestRun,
        `${fmt(ingestRun.throughput * 1000)} events/s`,
      ],
      ['GET usage, 1k history', reads.usage1k, ''],
      ['GET usage, 1M history', reads.usage1m, `p99 ${(reads.usage1m.p99 / reads.usage1k.p99).toFixed(2)}x`],
      ['GET credits, 1k history', reads.credits1k, ''],
      ['GET credits, 1M history', reads.credits1m, `p99 ${(reads.credits1m.p99 / reads.credits1k.p99).toFixed(2)}x`],
    ];
    const errors = [spendSpread, spendHot, ingestRun, ...Object.values(reads)].reduce((s, r) => s + r.errors, 0);
    const spreadRatio = spendSpread.throughput / baseSpread.throughput;
    const hotRatio = spendHot.throughput / baseHot.throughput;
    const ingestRate = ingestRun.throughput * 1000;
    const readGrowth = Math.max(reads.usage1m.p99 / reads.usage1k.p99, reads.credits1m.p99 / reads.credits1k.p99);

    const table = [
      `Measured ${now.toISOString()} on this machine (${CLIENTS} concurrent clients for spends, ${SECONDS} s per run, Postgres synchronous_commit=${sync}, fsync=${fsync}).`,
      `Server peak memory (VmHWM): ${fmt(peak)} MiB. Non-2xx answers or errors during the runs: ${errors}.`,
      `CPU per request (server process / its Postgres backends): spread spend ${fmt(spendSpread.cpu.server)} / ${fmt(spendSpread.cpu.postgres)} µs, hot spend ${fmt(spendHot.cpu.server)} / ${fmt(spendHot.cpu.postgres)} µs, ingest call of 1,000 events ${fmt(ingestRun.cpu.server)} / ${fmt(ingestRun.cpu.postgres)} µs.`,
      '',
      '| workload | throughput /s | p50 ms | p99 ms | vs baseline |',
      '| --- | ---: | ---: | ---: | --- |',
      ...results.map(
        ([name, r, ratio]) => `| ${name} | ${fmt(r.throughput)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${ratio} |`,
      ),
    ].join('\n');
    const last = `bench: spend_spread=${spreadRatio.toFixed(2)}x spend_hot=${hotRatio.toFixed(2)}x ingest=${Math.round(ingestRate)}/s read_p99_growth=${readGrowth.toFixed(2)}x`;

    const docPath = fileURLToPath(new URL('../../../docs/performance.md', import.meta.url));
    mkdirSync(fileURLToPath(new URL('../../../docs', import.meta.url)), { recursive: true });
    // Only the measured block is rewritten: the analysis around it is prose kept by hand.
    const block = `<!-- bench:start -->\n${table}\n\n\`${last}\`\n<!-- bench:end -->`;
    const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
    writeFileSync(
      docPath,
      /<!-- bench:start -->[\s\S]*<!-- bench:end -->/.test(previous)
        ? previous.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, block)
        : `# Performance\n\n${block}\n`,
    );
    process.stdout.write(`${table}\n\n${last}\n`);
  } finally {
    await sql.end();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
