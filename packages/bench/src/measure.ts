import postgres from 'postgres';
import { type CpuShare, measureCpu } from './cpu-usage';
import { assertPgbenchSucceeded, runPgbench } from './pgbench-baseline';
import { assertAllSucceeded, runWrk } from './wrk';

/** One measured run: only successful answers count; a run with any failure throws instead. */
export interface Sample {
  throughput: number;
  requests: number;
  p50: number;
  p99: number;
  /** Server CPU per successful request; null for pgbench, whose client is not a server. */
  cpu: CpuShare | null;
}

/** Something measured under one workload: the REST server, pgbench, the naive peer or the echo. */
export interface Target {
  label: string;
  /** Its database, vacuumed before each measured run; null when it has none. */
  database: string | null;
  /** Its server process, whose CPU is counted; null for pgbench. */
  pid: number | null;
  run(seconds: number): Promise<Omit<Sample, 'cpu'>>;
}

export function httpTarget(
  label: string,
  server: { url: string; pid: number; database: string | null },
  load: { script: string; connections: number },
): Target {
  return {
    label,
    database: server.database,
    pid: server.pid,
    run: async (seconds) => {
      const r = await runWrk(server.url, { ...load, seconds });
      assertAllSucceeded(label, r);
      return { throughput: r.throughput, requests: r.ok, p50: r.p50, p99: r.p99 };
    },
  };
}

export function pgbenchTarget(label: string, db: { url: string; name: string }, sql: string, clients: number): Target {
  return {
    label,
    database: db.name,
    pid: null,
    run: async (seconds) => {
      const r = await runPgbench(db.url, { sql, clients, seconds });
      assertPgbenchSucceeded(label, r);
      return r;
    },
  };
}

/**
 * The same preparation for every side before every measured run: the same workload unmeasured for
 * `warmup` seconds (JIT, prepared statements, caches, connections), then `vacuum analyze` of its database and
 * a checkpoint, so no side is measured while autovacuum or the checkpointer works off another's writes.
 */
export class Measurer {
  private readonly vacuumers = new Map<string, postgres.Sql>();

  constructor(
    private readonly adminUrl: string,
    private readonly admin: postgres.Sql,
  ) {}

  async measure(target: Target, seconds: number, warmup: number): Promise<Sample> {
    if (warmup > 0) await target.run(warmup);
    if (target.database) await this.vacuumer(target.database)`vacuum analyze`;
    await this.admin`checkpoint`;
    if (target.pid === null) return { ...(await target.run(seconds)), cpu: null };
    return measureCpu(this.admin, target.database, target.pid, () => target.run(seconds));
  }

  private vacuumer(database: string): postgres.Sql {
    let sql = this.vacuumers.get(database);
    if (!sql) {
      const url = new URL(this.adminUrl);
      url.pathname = `/${database}`;
      sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
      this.vacuumers.set(database, sql);
    }
    return sql;
  }

  async end(): Promise<void> {
    await Promise.all([...this.vacuumers.values()].map((sql) => sql.end()));
  }
}
