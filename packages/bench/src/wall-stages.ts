/**
 * Where a spend's wall time goes, from the server's own histograms (`/metrics`) read before and after the
 * measured window: the CPU profile says what the event loop computes, these say what a request waits for.
 */
export interface HistogramTotals {
  sum: number;
  count: number;
}

/** `<name>_sum` and `<name>_count` of every unlabelled-or-labelled series of a histogram, added up. */
export function histogramTotals(exposition: string, name: string): HistogramTotals {
  let sum = 0;
  let count = 0;
  for (const line of exposition.split('\n')) {
    const m = /^(\w+?)_(sum|count)(?:\{[^}]*\})? ([\d.e+-]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (m[2] === 'sum') sum += Number(m[3]);
    else count += Number(m[3]);
  }
  return { sum, count };
}

const STAGES = [
  ['whole request, arrival to answer sent', 'contox_http_request_duration_seconds'],
  ['waiting for the rate-limit count (one statement per lease)', 'contox_rate_limit_wait_seconds'],
  ['waiting in the queue for the next batch', 'contox_spend_queue_wait_seconds'],
  ['its batch in the database (locks, decisions, writes, commit)', 'contox_spend_batch_duration_seconds'],
] as const;

/** Mean ms per observation of each stage between two readings of `/metrics`, as a Markdown table. */
export function wallStagesTable(before: string, after: string): string {
  const means = STAGES.map(([label, name]) => {
    const a = histogramTotals(after, name);
    const b = histogramTotals(before, name);
    const n = a.count - b.count;
    return { label, ms: n > 0 ? ((a.sum - b.sum) / n) * 1000 : Number.NaN };
  });
  const [whole, ...parts] = means;
  const rest = whole!.ms - parts.reduce((s, p) => s + p.ms, 0);
  const row = (label: string, ms: number) => `| ${label} | ${Number.isNaN(ms) ? '–' : ms.toFixed(2)} |`;
  return [
    "| where a spend's wall time goes (server side) | mean ms |",
    '| --- | ---: |',
    ...parts.map((p) => row(p.label, p.ms)),
    row('the rest: HTTP, auth, validation, the procedure, answer, and waiting for the event loop', rest),
    row(`**${whole!.label}**`, whole!.ms),
  ].join('\n');
}
