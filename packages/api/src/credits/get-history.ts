import { schema } from '@contox/db';
import { and, desc, eq, gte } from 'drizzle-orm';
import { z } from 'zod';
import { readProcedure } from '../trpc';
import { balanceHistory } from './credits-schemas';
import { apiTime } from '../time';

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
    const t = schema.creditTransactions;
    const rows = await ctx.deps.database.db
      .select({ at: t.createdAt, balance: t.balanceAfter })
      .from(t)
      .where(and(eq(t.accountId, ctx.principal.accountId), gte(t.createdAt, since)))
      .orderBy(desc(t.seq))
      .limit(MAX_ROWS);
    // The newest rows, so the chart ends at today's balance even when the window holds more than MAX_ROWS.
    rows.reverse();
    // Thin evenly to at most MAX_POINTS, counted back from the latest so that it is always kept.
    const step = Math.max(1, Math.ceil(rows.length / MAX_POINTS));
    const points = rows.filter((_, i) => (rows.length - 1 - i) % step === 0);
    return { points: points.map((r) => ({ at: apiTime(r.at), balance: r.balance })) };
  });
