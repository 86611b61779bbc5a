import type { BillingDeps } from '../../deps';
import { readBalanceHistory } from '../../store/ledger';
import { apiTime } from '../../time';

const MAX_POINTS = 500;
// Rows read at most: a busy account's window holds more changes than a chart needs or a request should read.
const MAX_ROWS = 20_000;

export interface BalanceHistory {
  points: { at: string; balance: number }[];
}

/** The balance after each change over the last `days` days, thinned to at most MAX_POINTS for a chart. */
export async function readBalanceHistoryPoints(
  deps: Pick<BillingDeps, 'database' | 'now'>,
  accountId: string,
  days: number,
): Promise<BalanceHistory> {
  const since = new Date(deps.now().getTime() - days * 86_400_000);
  // The newest rows, so the chart ends at today's balance even when the window holds more than MAX_ROWS.
  const rows = await readBalanceHistory(deps.database.db, accountId, since, MAX_ROWS);
  // Thin evenly to at most MAX_POINTS, counted back from the latest so that it is always kept.
  const step = Math.max(1, Math.ceil(rows.length / MAX_POINTS));
  const points = rows.filter((_, i) => (rows.length - 1 - i) % step === 0);
  return { points: points.map((r) => ({ at: apiTime(r.at), balance: r.balance })) };
}
