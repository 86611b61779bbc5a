/** The SQLSTATE, driver or socket code of an error, looking through the query-builder's wrapper. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

// Postgres ending the session (administrator command, crash, restart), the driver finding the socket closed,
// or the socket failing: the statement did not run on a live session.
const CONNECTION_LOST = new Set([
  '57P01',
  '57P02',
  '57P03',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'ECONNRESET',
  'EPIPE',
]);

/**
 * The connection died under a statement. A transaction that had not sent COMMIT was rolled back; one whose
 * COMMIT was in flight may have landed, so only work that is idempotent as a whole may be run again.
 */
export function isConnectionLost(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && (CONNECTION_LOST.has(code) || code.startsWith('08'));
}
