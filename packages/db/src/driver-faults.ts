/**
 * postgres.js 3.4.9 writes to a connection's socket after Postgres has dropped it in the middle of a
 * transaction (porsager/postgres#1154): a TypeError thrown from a timer, outside any query's promise.
 * It leaves no state behind (the server rolled the transaction back), so a process may survive it.
 */
export function isDroppedConnectionWrite(err: unknown): boolean {
  const e = err as { message?: unknown; stack?: unknown } | null;
  return (
    typeof e?.message === 'string' &&
    e.message.includes("reading 'write'") &&
    typeof e.stack === 'string' &&
    e.stack.includes('postgres/src/connection.js')
  );
}
