import { bigint, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

// Per-period counters (sessions, events, enrichments, plan tokens used); one row per account,
// metric and period, so a new period starts from zero without any reset job.
export const usageCounters = pgTable(
  'usage_counters',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    metric: text('metric').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    used: bigint('used', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.metric, t.periodStart] })],
);

// Storage is a level, not a per-period count.
export const storageLevels = pgTable('storage_levels', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id),
  bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
});

// Every usage event id counts once, forever. No foreign key to the account: every insert here is in the
// transaction that first inserts or locks the account's counter rows for the same call, and those rows are
// under a foreign key to the account; checked per event instead, it cost ~3.3 ms of Postgres CPU per call of
// 1,000 events (docs/performance.md).
export const usageEvents = pgTable(
  'usage_events',
  {
    accountId: text('account_id').notNull(),
    eventId: text('event_id').notNull(),
    metric: text('metric').notNull(),
    quantity: bigint('quantity', { mode: 'number' }).notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    outcome: text('outcome').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The key is the only index: it answers the duplicate check, and every other index would cost an
  // insert per event on the ingestion path (the charts read usage_daily).
  (t) => [primaryKey({ columns: [t.accountId, t.eventId] })],
);

export const usageDaily = pgTable(
  'usage_daily',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    metric: text('metric').notNull(),
    day: text('day').notNull(),
    quantity: bigint('quantity', { mode: 'number' }).notNull().default(0),
    events: integer('events').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.metric, t.day] })],
);
