import type { Sample } from './measure';
import { type Spread, spreadOf } from './stats';
import { BIG, ECHO, PEER, PGBENCH, REST, SMALL, type Workload } from './workloads';

/** Every run's sample, by workload and by what was measured, in the order they ran. */
export type Results = Map<Workload['key'], Map<string, Sample[]>>;

export function record(results: Results, key: Workload['key'], label: string, sample: Sample): void {
  const byLabel = results.get(key) ?? new Map<string, Sample[]>();
  byLabel.set(label, [...(byLabel.get(label) ?? []), sample]);
  results.set(key, byLabel);
}

function samples(results: Results, key: Workload['key'], label: string): Sample[] {
  const found = results.get(key)?.get(label);
  if (!found?.length) throw new Error(`no runs of ${label} under ${key}`);
  return found;
}

const of = (list: Sample[], pick: (s: Sample) => number) => spreadOf(list.map(pick));

/** A ratio of medians, with the widest range the runs allow (worst numerator over best denominator, …). */
export interface Ratio extends Spread {}

function ratio(a: Spread, b: Spread): Ratio {
  return { median: a.median / b.median, min: a.min / b.max, max: a.max / b.min };
}

export interface Figures {
  spendSpread: Ratio;
  spendHot: Ratio;
  hot16: Ratio;
  ceilingSpread: Ratio;
  ceilingHot: Ratio;
  naivePeer: Ratio;
  p50OneClient: Spread;
  pgbenchP50OneClient: Spread;
  ingest: Spread;
  readGrowth: Ratio;
  cpuPerSpend: Spread;
  cpuPerEcho: Spread;
}

export function figures(results: Results): Figures {
  const tput = (key: Workload['key'], label: string) => of(samples(results, key, label), (s) => s.throughput);
  const p = (key: Workload['key'], label: string, pick: 'p50' | 'p99') =>
    of(samples(results, key, label), (s) => s[pick]);
  const cpu = (key: Workload['key'], label: string) => of(samples(results, key, label), (s) => s.cpu?.server ?? NaN);
  const echo = tput('spread', ECHO);
  const ingest = tput('ingest', REST);
  return {
    spendSpread: ratio(tput('spread', REST), tput('spread', PGBENCH)),
    spendHot: ratio(tput('hot', REST), tput('hot', PGBENCH)),
    hot16: ratio(tput('hot16', REST), tput('hot16', PGBENCH)),
    ceilingSpread: ratio(tput('spread', REST), echo),
    ceilingHot: ratio(tput('hot', REST), echo),
    naivePeer: ratio(tput('spread', REST), tput('spread', PEER)),
    p50OneClient: p('one', REST, 'p50'),
    pgbenchP50OneClient: p('one', PGBENCH, 'p50'),
    ingest: { median: ingest.median * 1000, min: ingest.min * 1000, max: ingest.max * 1000 },
    readGrowth: ratio(p('history', BIG, 'p99'), p('history', SMALL, 'p99')),
    cpuPerSpend: cpu('spread', REST),
    cpuPerEcho: cpu('spread', ECHO),
  };
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
const range = (s: Spread, digits = 0) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export function lastLine(f: Figures): string {
  const x = (r: Ratio) => `${r.median.toFixed(2)}x`;
  const pct = (r: Ratio) => `${Math.round(r.median * 100)}%`;
  return `bench: spend_spread=${x(f.spendSpread)} spend_hot=${x(f.spendHot)} hot16=${x(f.hot16)} ceiling_spread=${pct(f.ceilingSpread)} ceiling_hot=${pct(f.ceilingHot)} naive_peer=${x(f.naivePeer)} p50_1client=${f.p50OneClient.median.toFixed(2)}ms ingest=${Math.round(f.ingest.median)}/s read_p99_growth=${x(f.readGrowth)}`;
}

/** One row per workload and measured side: medians of the runs, throughput with its min–max. */
export function resultsTable(list: Workload[], results: Results): string {
  const rows = list.flatMap((w) =>
    w.targets.map((t) => {
      const runs = results.get(w.key)?.get(t.label) ?? [];
      const cpu = (pick: 'server' | 'postgres') => fmt(of(runs, (s) => s.cpu?.[pick] ?? NaN).median);
      return `| ${w.title} | ${t.label} | ${range(of(runs, (s) => s.throughput))} | ${fmt(of(runs, (s) => s.p50).median, 2)} | ${fmt(of(runs, (s) => s.p99).median, 2)} | ${cpu('server')} | ${cpu('postgres')} |`;
    }),
  );
  return [
    '| workload | measured | 2xx/s, median (min–max) | p50 ms | p99 ms | server CPU µs/req | Postgres CPU µs/req |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/** Issue 20's targets beside the figures of this run: printed, never asserted. */
export function targetsTable(f: Figures, peakMiB: number): string {
  const r = (x: Ratio) => `${x.median.toFixed(2)}× (${x.min.toFixed(2)}–${x.max.toFixed(2)})`;
  const pct = (x: Ratio) => `${Math.round(x.median * 100)} % (${Math.round(x.min * 100)}–${Math.round(x.max * 100)})`;
  const cpuRatio = f.cpuPerSpend.median / f.cpuPerEcho.median;
  const rows: [string, string, boolean][] = [
    ['REST spend ÷ echo, spread (ceiling_spread)', pct(f.ceilingSpread), f.ceilingSpread.median >= 0.6],
    ['REST spend ÷ echo, hot (ceiling_hot)', pct(f.ceilingHot), f.ceilingHot.median >= 0.6],
    ['REST ÷ pgbench, spread ≥ 1.0× (spend_spread)', r(f.spendSpread), f.spendSpread.median >= 1],
    ['REST ÷ naive peer, spread ≥ 3× (naive_peer)', r(f.naivePeer), f.naivePeer.median >= 3],
    ['REST ÷ pgbench, hot, 64 clients ≥ 4× (spend_hot)', r(f.spendHot), f.spendHot.median >= 4],
    ['REST ÷ pgbench, hot, 16 clients ≥ 4× (hot16)', r(f.hot16), f.hot16.median >= 4],
    ['one client p50 ≤ 2 ms (p50_1client)', `${range(f.p50OneClient, 2)} ms`, f.p50OneClient.median <= 2],
    ['server CPU per spend ≤ 2× echo per request', `${fmt(cpuRatio, 2)}×`, cpuRatio <= 2],
    ['ingestion ≥ 100,000 events/s (ingest)', range(f.ingest), f.ingest.median >= 100_000],
    ['history p99 at 1M ÷ at 1k ≤ 1.2× (read_p99_growth)', r(f.readGrowth), f.readGrowth.median <= 1.2],
    ['server peak memory ≤ 300 MiB', `${fmt(peakMiB)} MiB`, peakMiB <= 300],
  ];
  return [
    '| target (issue 20) | this run: median (range) | met |',
    '| --- | ---: | --- |',
    ...rows.map(([name, value, met]) => `| ${name} | ${value} | ${met ? 'yes' : 'no'} |`),
  ].join('\n');
}
