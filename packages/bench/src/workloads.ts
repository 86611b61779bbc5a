import { httpTarget, pgbenchTarget, type Target } from './measure';
import { NAIVE_SPEND_SQL } from './pgbench-baseline';
import { writeWrkScript } from './wrk';

export const REST = 'REST';
export const PGBENCH = 'pgbench';
export const PEER = 'naive peer';
export const ECHO = 'echo';
export const SMALL = '1k ledger rows';
export const BIG = 'big ledger';

/** A workload and everything measured under it; the bench runs the targets in turn, repeatedly. */
export interface Workload {
  key: 'spread' | 'hot' | 'hot16' | 'one' | 'ingest' | 'history' | 'usage' | 'credits';
  title: string;
  seconds: number;
  warmup: number;
  targets: Target[];
}

interface Server {
  url: string;
  pid: number;
  database: string | null;
}

export interface Setup {
  rest: Server;
  peer: Server;
  echo: Server;
  pgbench: { url: string; name: string };
  keys: { spread: string[]; ingest: string[]; small: string; big: string };
  clients: number;
  seconds: number;
  warmup: number;
  /** Ledger rows of the big read account (1,000,000 unless BENCH_HISTORY_ROWS says otherwise). */
  historyRows: number;
}

const SPEND_PATH = '/api/billing/credits/spend';
const SPEND_BODY = JSON.stringify({ amount: 1, description: 'bench spend', idempotencyKey: '@@' });
export const INGEST_BODY = JSON.stringify({
  events: Array.from({ length: 1000 }, (_, i) => ({
    id: `@@-${i}`,
    metric: i % 2 ? 'events' : 'sessions',
    quantity: 1,
  })),
});

/** Spends with the same script for REST, the peer and the echo: the same bytes on the wire for each. */
function spendTargets(s: Setup, keys: string[], clients: number, sides: string[]): Target[] {
  const script = writeWrkScript({ method: 'POST', path: SPEND_PATH, keys, bodyTemplate: SPEND_BODY });
  const load = { script, connections: clients };
  const all: Target[] = [
    httpTarget(REST, s.rest, load),
    pgbenchTarget(PGBENCH, s.pgbench, NAIVE_SPEND_SQL(keys.length === 1), clients),
    httpTarget(PEER, s.peer, load),
    httpTarget(ECHO, s.echo, load),
  ];
  return all.filter((t) => sides.includes(t.label));
}

function readWorkload(s: Setup, key: 'history' | 'usage' | 'credits', path: string): Workload {
  const target = (label: string, apiKey: string) =>
    httpTarget(label, s.rest, { script: writeWrkScript({ method: 'GET', path, keys: [apiKey] }), connections: 16 });
  return {
    key,
    title: `GET ${path}, 16 clients (big ledger: ${s.historyRows.toLocaleString('en')} rows)`,
    seconds: Math.max(3, Math.round(s.seconds / 2)),
    warmup: 1,
    targets: [target(SMALL, s.keys.small), target(BIG, s.keys.big)],
  };
}

export function workloads(s: Setup): Workload[] {
  const { seconds, warmup, clients } = s;
  const hot = [s.keys.spread[0]!];
  const ingestScript = writeWrkScript({
    method: 'POST',
    path: '/api/billing/usage/events',
    keys: s.keys.ingest,
    bodyTemplate: INGEST_BODY,
  });
  return [
    {
      key: 'spread',
      title: `spend over 1,000 accounts, ${clients} clients`,
      seconds,
      warmup,
      targets: spendTargets(s, s.keys.spread, clients, [REST, PGBENCH, PEER, ECHO]),
    },
    {
      key: 'hot',
      title: `spend on one hot account, ${clients} clients`,
      seconds,
      warmup,
      targets: spendTargets(s, hot, clients, [REST, PGBENCH, PEER]),
    },
    {
      key: 'hot16',
      title: 'spend on one hot account, 16 clients',
      seconds,
      warmup,
      targets: spendTargets(s, hot, 16, [REST, PGBENCH]),
    },
    {
      key: 'one',
      title: 'spend, one client alone',
      seconds,
      warmup,
      targets: spendTargets(s, hot, 1, [REST, PGBENCH]),
    },
    {
      key: 'ingest',
      title: 'usage ingest, calls of 1,000 events over 100 accounts, 8 clients',
      seconds,
      warmup,
      targets: [httpTarget(REST, s.rest, { script: ingestScript, connections: 8 })],
    },
    readWorkload(s, 'history', '/api/billing/credits/history'),
    readWorkload(s, 'usage', '/api/billing/usage'),
    readWorkload(s, 'credits', '/api/billing/credits'),
  ];
}
