import { is, Placeholder, type SQL } from 'drizzle-orm';
import type { PgDialect } from 'drizzle-orm/pg-core';
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import type { Database, Executor } from './client';

// What drizzle keeps on a database or transaction object (not in its public types): the dialect that renders
// a query, and the session holding the driver's client (postgres.js' pool, or the transaction's connection).
interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: unknown;
}

// PGlite and its transactions, as drizzle's session holds them.
interface PgliteQueryable {
  query<T>(text: string, params: unknown[]): Promise<{ rows: T[] }>;
}

function postgresClientOf(db: Executor): postgres.Sql | null {
  const { session } = db as unknown as DrizzleInternals;
  return is(session, PostgresJsSession) ? (session as unknown as { client: postgres.Sql }).client : null;
}

/**
 * Runs raw SQL on either driver and returns its rows (postgres.js and PGlite shape results differently).
 *
 * On Postgres the statement is prepared on each connection the first time it runs there. drizzle's `execute`
 * sends every statement unnamed, and postgres.js must then ask the server for its parameter types before
 * binding: two round trips per statement, and statements sent together stop being pipelined. Prepared, a
 * statement is one round trip and pipelines with its neighbours (docs/performance.md). The statements given
 * here have fixed text (values are parameters, lists are arrays), so each connection prepares a few dozen.
 */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const client = postgresClientOf(db);
  if (client) {
    const { sql, params } = (db as unknown as DrizzleInternals).dialect.sqlToQuery(query);
    // Handed to the connection now, not when awaited: statements go out in the order they were called, so
    // writes sent without awaiting them still go ahead of a COMMIT that follows.
    const statement = client.unsafe(sql, params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
    return (await statement) as unknown as T[];
  }
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

/** Runs a statement for its effect (an insert, update or setting), prepared on Postgres as `queryRows` is. */
export async function runStatement(db: Executor, query: SQL): Promise<void> {
  await queryRows(db, query);
}

/** A statement's text and how each of its parameters is filled: a fixed value, or a named value of the call. */
interface Rendered {
  text: string;
  slots: { fixed: unknown; name: string | null }[];
}

const renderedByBuild = new WeakMap<(db: Executor) => SQL, Rendered>();

function render(db: Executor, build: (db: Executor) => SQL): Rendered {
  let rendered = renderedByBuild.get(build);
  if (!rendered) {
    const { sql, params } = (db as unknown as DrizzleInternals).dialect.sqlToQuery(build(db));
    // Values interpolated when building are fixed; `sql.placeholder(name)` marks what each call gives.
    const slots = params.map((p) => (is(p, Placeholder) ? { fixed: null, name: p.name } : { fixed: p, name: null }));
    rendered = { text: sql, slots };
    renderedByBuild.set(build, rendered);
  }
  return rendered;
}

/**
 * `queryRows` for a statement on a hot path: `build` is rendered once (both drivers render the same Postgres
 * text), not on every call, and each call only fills its `sql.placeholder`s from `values`. Drizzle renders an
 * SQL object anew each time, and its rendering and the query builder were a large part of a spend batch's
 * event-loop CPU (docs/performance.md).
 */
export async function queryBuilt<T>(
  db: Executor,
  build: (db: Executor) => SQL,
  values: Record<string, unknown>,
): Promise<T[]> {
  const { text, slots } = render(db, build);
  const params = slots.map((s) => {
    if (s.name === null) return s.fixed;
    if (!(s.name in values)) throw new Error(`no value for placeholder ${s.name}`);
    return values[s.name];
  });
  const client = postgresClientOf(db);
  if (client) {
    const statement = client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
    return (await statement) as unknown as T[];
  }
  const { session } = db as unknown as DrizzleInternals;
  const result = await (session as { client: PgliteQueryable }).client.query<T>(text, params);
  return result.rows;
}

/**
 * `db.transaction` for a hot path: on Postgres, the same postgres.js transaction (the patched `begin`) with a
 * drizzle executor made without the schema. drizzle builds a relational query builder for every table of the
 * schema on each transaction, a large part of a spend batch's own CPU (docs/performance.md); `fn` must not use
 * `tx.query`, which is empty here, and is best kept to statements of this file (`queryBuilt`, `queryRows`).
 */
export async function leanTransaction<T>(db: Database, fn: (tx: Executor) => Promise<T>): Promise<T> {
  const client = postgresClientOf(db);
  if (!client) return db.transaction(fn);
  const dialect = (db as unknown as DrizzleInternals).dialect as PgDialect;
  const result = await client.begin((conn) => {
    // As drizzle's own transaction builds it; its types want the pool's client where it passes the transaction's.
    const session = new PostgresJsSession(conn as unknown as postgres.Sql, dialect, undefined);
    const tx = new PostgresJsTransaction(dialect, session as never, undefined);
    return fn(tx as unknown as Executor);
  });
  return result as T;
}
