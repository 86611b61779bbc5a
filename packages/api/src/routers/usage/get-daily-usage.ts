import { z } from 'zod';
import { billingState } from '../../services/accounts/billing-state';
import { readDailyUsage } from '../../store/usage';
import { readProcedure } from '../trpc';
import { dailyUsageView } from './usage.types';
import { apiTime } from '../../time';

const day = (d: Date) => d.toISOString().slice(0, 10);

export const getDailyUsage = readProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/billing/usage/daily',
      tags: ['usage'],
      summary: 'Usage per day over the current period (for charts)',
      protect: true,
    },
  })
  .input(z.object({}))
  .output(dailyUsageView)
  .query(async ({ ctx }) => {
    const { db } = ctx.deps.database;
    const accountId = ctx.principal.accountId;
    const { period } = await billingState(db, ctx.deps.catalog, accountId, ctx.deps.now());
    const rows = await readDailyUsage(db, accountId, period.start, period.end);
    const days = new Map<string, { day: string; sessions: number; events: number; enrichments: number }>();
    for (let t = period.start.getTime(); t < period.end.getTime(); t += 86_400_000) {
      days.set(day(new Date(t)), { day: day(new Date(t)), sessions: 0, events: 0, enrichments: 0 });
    }
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
  });
