import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Requests per client per one-minute window, shared by every server process on the database so that the rate
 * limit holds across replicas (packages/api/src/http/rate-limit.ts). UNLOGGED (see its migration): a crash may
 * forget the current minute's counts, which costs nothing worth a WAL write per request. Windows older than the
 * previous minute are swept.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
