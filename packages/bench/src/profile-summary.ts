/** The parts of a V8 `.cpuprofile` (node --cpu-prof) the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  /** µs since the previous sample (the first since `startTime`). */
  timeDeltas: number[];
  /** µs on the monotonic clock, the clock of `process.hrtime`. */
  startTime: number;
}

export const IDLE = 'idle';

/** Where a frame's self time belongs: the stages of a request, as far as a CPU profile can tell them apart. */
export function categoryOf(frame: { functionName: string; url: string }): string {
  const { functionName, url } = frame;
  if (functionName === '(idle)') return IDLE;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native, unattributed';
  if (/\/node_modules\/zod\//.test(url)) return 'validation (zod)';
  if (/\/node_modules\/@trpc\//.test(url)) return 'tRPC (procedure call, context, middleware)';
  if (/\/node_modules\/(postgres|drizzle-orm)\//.test(url) || /\/packages\/(db\/src|api\/src\/store)\//.test(url))
    return 'database client (postgres.js, drizzle, our queries)';
  if (/\/node_modules\/(pino|prom-client)|\/packages\/api\/src\/(logger|metrics)\.ts/.test(url))
    return 'logging and metrics';
  if (/\/packages\/api\/src\/services\/auth\//.test(url) || /^node:(crypto|internal\/crypto)/.test(url))
    return 'auth and hashing';
  if (/\/packages\/api\/src\/services\/credits\/spend|\/packages\/core\/src\//.test(url))
    return 'spend queue, batch and core rules';
  if (/\/(packages\/api\/src\/http|apps\/server\/src)\//.test(url)) return 'HTTP: our adapter (routing, body, answer)';
  if (/\/packages\/api\/src\//.test(url)) return 'other code of ours (procedures, services)';
  if (url.startsWith('node:')) return "HTTP and sockets: Node's parser, streams, events";
  if (url === '') return `native: ${functionName || '(anonymous)'}`;
  return 'other libraries';
}

export interface CategoryTime {
  category: string;
  /** Self CPU time in the window, µs. */
  micros: number;
}

/** Self time per category of the samples taken in [fromUs, toUs] (monotonic µs), busiest first. */
export function summarizeProfile(profile: CpuProfile, fromUs: number, toUs: number): CategoryTime[] {
  const categoryOfNode = new Map(profile.nodes.map((n) => [n.id, categoryOf(n.callFrame)]));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs || at > toUs) continue;
    const category = categoryOfNode.get(profile.samples[i]!) ?? 'unknown';
    totals.set(category, (totals.get(category) ?? 0) + delta);
  }
  if (totals.size === 0) throw new Error('no profile sample falls inside the measured window');
  // Native frames below a share of 1 % are folded together: the table is for where the time goes.
  const busy = [...totals].filter(([c]) => c !== IDLE).reduce((s, [, t]) => s + t, 0);
  const folded = new Map<string, number>();
  for (const [category, micros] of totals) {
    const key = category.startsWith('native:') && micros < busy / 100 ? 'native, other' : category;
    folded.set(key, (folded.get(key) ?? 0) + micros);
  }
  return [...folded].map(([category, micros]) => ({ category, micros })).sort((a, b) => b.micros - a.micros);
}

/** The summary as a table per request: CPU µs per 2xx answer and share of the busy (non-idle) time. */
export function profileTable(times: CategoryTime[], requests: number): string {
  const busy = times.filter((t) => t.category !== IDLE).reduce((s, t) => s + t.micros, 0);
  const rows = times
    .filter((t) => t.category !== IDLE)
    .map((t) => `| ${t.category} | ${(t.micros / requests).toFixed(1)} | ${((100 * t.micros) / busy).toFixed(1)} % |`);
  return [
    '| where the server CPU goes | µs per request | share of busy time |',
    '| --- | ---: | ---: |',
    ...rows,
    `| **busy total** | **${(busy / requests).toFixed(1)}** | 100 % |`,
  ].join('\n');
}
