// Spends per second through 1, 2 and 3 server processes on one Postgres, for docs/scaling.md. Run once by hand:
//   cd apps/server && node --import tsx scripts/measure-replicas.ts
// Needs the Postgres at 127.0.0.1:5432 (TEST_DATABASE_URL) and wrk. Each round starts its processes on one fresh
// database with 200 accounts, drives POST /api/billing/credits/spend (1 token, a new idempotency key each, the
// keys rotating over the accounts) with wrk at the same total connections split over the processes, and counts
// only 2xx answers.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ALL_SCOPES, createAccount, createApiKey } from '@contox/api';
import { createTestDatabase } from '@contox/db/testing';
import { spawnServer } from '../src/spawn-server';

const ACCOUNTS = 200;
const CONNECTIONS = 48;
const SECONDS = Number(process.env.MEASURE_SECONDS ?? 15);

const lua = (keys: string[]) => `
local keys = { ${keys.map((k) => `"${k}"`).join(', ')} }
local prefix = os.getenv("PREFIX") .. tostring({}):sub(8)
local n = 0
request = function()
  n = n + 1
  local body = '{"amount":1,"description":"measure","idempotencyKey":"' .. prefix .. '-' .. n .. '"}'
  return wrk.format("POST", nil, { ["Authorization"] = "Bearer " .. keys[(n % #keys) + 1], ["Content-Type"] = "application/json" }, body)
end
`;

interface Round {
  processes: number;
  ok: number;
  failed: number;
  perSecond: number;
  p50: string;
  p99: string;
}

function parseWrk(out: string) {
  const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const failed =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
    Number(/Socket errors: .*?(\d+) timeout/.exec(out)?.[1] ?? 0);
  const pct = (p: string) => new RegExp(`\\s${p}%\\s+(\\S+)`).exec(out)?.[1] ?? '?';
  return { ok: total - failed, failed, p50: pct('50'), p99: pct('99') };
}

async function round(processes: number, url: string, script: string): Promise<Round> {
  const servers = await Promise.all(
    Array.from({ length: processes }, () =>
      spawnServer({ DATABASE_URL: url, LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '100000000', BILLING_DEMO: 'false' }),
    ),
  );
  try {
    const runs = await Promise.all(
      servers.map((s, i) =>
        promisify(execFile)(
          'wrk',
          [
            '-t1',
            `-c${Math.round(CONNECTIONS / processes)}`,
            `-d${SECONDS}s`,
            '--latency',
            '-s',
            script,
            `${s.url}/api/billing/credits/spend`,
          ],
          { env: { ...process.env, PREFIX: `p${processes}s${i}r${Date.now()}` } },
        ),
      ),
    );
    const parsed = runs.map((r) => parseWrk(r.stdout));
    const ok = parsed.reduce((sum, p) => sum + p.ok, 0);
    const failed = parsed.reduce((sum, p) => sum + p.failed, 0);
    return {
      processes,
      ok,
      failed,
      perSecond: Math.round(ok / SECONDS),
      p50: parsed.map((p) => p.p50).join(' / '),
      p99: parsed.map((p) => p.p99).join(' / '),
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function main() {
  const db = await createTestDatabase('postgres');
  const keys: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const a = await createAccount(db.db, {
      name: `Measure ${i}`,
      ownerEmail: `m${i}@example.com`,
      ownerName: 'M',
      createdAt: new Date(),
    });
    keys.push(
      await createApiKey(db.db, { accountId: a.accountId, memberId: a.ownerId, name: 'measure', scopes: ALL_SCOPES }),
    );
  }
  const script = join(mkdtempSync(join(tmpdir(), 'contox-measure-')), 'spend.lua');
  writeFileSync(script, lua(keys));
  const rounds: Round[] = [];
  for (const n of [1, 2, 3]) rounds.push(await round(n, db.url!, script));
  await db.close();
  process.stdout.write(
    '| processes | spends/s (2xx) | failed | p50 per process | p99 per process |\n|---|---|---|---|---|\n',
  );
  for (const r of rounds)
    process.stdout.write(`| ${r.processes} | ${r.perSecond} | ${r.failed} | ${r.p50} | ${r.p99} |\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
