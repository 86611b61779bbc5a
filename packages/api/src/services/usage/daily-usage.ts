import type { BillingDeps } from '../../deps';
import { readDailyUsage } from '../../store/usage';
import { apiTime } from '../../time';
import { billingState } from '../accounts/billing-state';

export interface DayUsage {
  day: string;
  sessions: number;
  events: number;
  enrichments: number;
}

export interface DailyUsage {
  period: { start: string; end: string };
  days: DayUsage[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Every day of the period in order, zero where nothing was recorded, so a chart has no gaps. */
function emptyDays(period: { start: Date; end: Date }): Map<string, DayUsage> {
  const days = new Map<string, DayUsage>();
  for (let t = period.start.getTime(); t < period.end.getTime(); t += 86_400_000) {
    days.set(day(new Date(t)), { day: day(new Date(t)), sessions: 0, events: 0, enrichments: 0 });
  }
  return days;
}

/** Usage per day over the account's current period. */
export async function readDailyUsageOfPeriod(
  deps: Pick<BillingDeps, 'database' | 'catalog' | 'now'>,
  accountId: string,
): Promise<DailyUsage> {
  const { db } = deps.database;
  const { period } = await billingState(db, deps.catalog, accountId, deps.now());
  const rows = await readDailyUsage(db, accountId, period.start, period.end);
  const days = emptyDays(period);
  for (const r of rows) {
    const entry = days.get(r.day);
    if (entry && (r.metric === 'sessions' || r.metric === 'events' || r.metric === 'enrichments')) {
      entry[r.metric] = r.quantity;
    }
  }
  return {
    period: { start: apiTime(period.start), end: apiTime(period.end) },
    days: [...days.values()],
  };
}
