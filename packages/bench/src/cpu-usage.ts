import { readFileSync } from 'node:fs';
import type postgres from 'postgres';

/** CPU time (ms, user + system) a process has used so far, from /proc; 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export interface CpuShare {
  /** Server process CPU per request, µs. */
  server: number;
  /** CPU of the Postgres backends serving the benchmark database per request, µs. */
  postgres: number;
}

/**
 * Where one request's time goes: CPU of a server process and of its Postgres backends over a run, divided by
 * the requests it answered successfully. Unlike throughput this barely moves when something else shares the
 * machine. `database` null: a server without one (the echo), whose Postgres share is NaN.
 */
export async function measureCpu<T extends { requests: number }>(
  admin: postgres.Sql,
  database: string | null,
  serverPid: number,
  run: () => Promise<T>,
): Promise<T & { cpu: CpuShare }> {
  const backends = async () =>
    database === null
      ? []
      : (await admin`select pid from pg_stat_activity where datname = ${database}`).map((r) => Number(r.pid));
  const pgBefore = new Map((await backends()).map((pid) => [pid, cpuMs(pid)]));
  const serverBefore = cpuMs(serverPid);
  const result = await run();
  const serverAfter = cpuMs(serverPid);
  let pg = 0;
  for (const pid of await backends()) pg += cpuMs(pid) - (pgBefore.get(pid) ?? 0);
  const requests = Math.max(1, result.requests);
  return {
    ...result,
    cpu: {
      server: ((serverAfter - serverBefore) * 1000) / requests,
      postgres: database === null ? Number.NaN : (pg * 1000) / requests,
    },
  };
}
