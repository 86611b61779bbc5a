import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Webhook inbox: the unique event id makes every delivery after the first a no-op.
export const stripeEvents = pgTable('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  stripeCreated: timestamp('stripe_created', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  payload: jsonb('payload').notNull(),
});
