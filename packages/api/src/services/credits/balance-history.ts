import type { BillingDeps } from '../../deps';
import { readBalanceHistory } from '../../store/ledger';
import { apiTime } from '../../time';

// A chart needs no more; the store's cost grows with this number, not with the ledger (docs/performance.md).
const MAX_POINTS = 500;

export interface BalanceHistory {
  points: { at: string; balance: number }[];
}

/**
 * The balance after each change over the last `days` days, oldest first: every change when there are at most
 * MAX_POINTS of them, otherwise MAX_POINTS spread over the window's time, each the balance a real change left.
 * The last point is always the newest change, so the chart ends at the current balance.
 */
export async function readBalanceHistoryPoints(
  deps: Pick<BillingDeps, 'database' | 'now'>,
  accountId: string,
  days: number,
): Promise<BalanceHistory> {
  const since = new Date(deps.now().getTime() - days * 86_400_000);
  const rows = await readBalanceHistory(deps.database.db, accountId, since, MAX_POINTS);
  return { points: rows.map((r) => ({ at: apiTime(r.at), balance: r.balance })) };
}
