import { z } from 'zod';
import { readBalanceHistory } from '../../store/ledger';
import { readProcedure } from '../trpc';
import { balanceHistory } from './credits.types';
import { apiTime } from '../../time';

const MAX_POINTS = 500;
// Rows read at most: a busy account's window holds more changes than a chart needs or a request should read.
const MAX_ROWS = 20_000;

export const getBalanceHistory = readProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/billing/credits/history',
      tags: ['credits'],
      summary: 'The balance after each change over the last `days` days (for charts)',
      protect: true,
    },
  })
  .input(z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }))
  .output(balanceHistory)
  .query(async ({ ctx, input }) => {
    const since = new Date(ctx.deps.now().getTime() - input.days * 86_400_000);
    // The newest rows, so the chart ends at today's balance even when the window holds more than MAX_ROWS.
    const rows = await readBalanceHistory(ctx.deps.database.db, ctx.principal.accountId, since, MAX_ROWS);
    // Thin evenly to at most MAX_POINTS, counted back from the latest so that it is always kept.
    const step = Math.max(1, Math.ceil(rows.length / MAX_POINTS));
    const points = rows.filter((_, i) => (rows.length - 1 - i) % step === 0);
    return { points: points.map((r) => ({ at: apiTime(r.at), balance: r.balance })) };
  });
