import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

// Outgoing webhooks: the host app's endpoints, the events we tell them about (an outbox written in the
// transaction of the change), and each endpoint's delivery of each event with its attempts.

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** Event types the endpoint wants; `*` means all of them. */
  events: text('events').array().notNull(),
  // Kept as given (shown once to the operator): signing needs the secret itself, not a hash of it.
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // Deleted endpoints keep their delivery history; their pending deliveries are cancelled.
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

// The last sequence number given to an account's events: its row lock orders one account's emitters.
export const webhookEventSequences = pgTable('webhook_event_sequences', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id),
  last: bigint('last', { mode: 'number' }).notNull(),
});

export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: text('id').notNull(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    type: text('type').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    /** The whole body as delivered (id, type, createdAt, accountId, sequence, data). */
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.id] }),
    uniqueIndex('webhook_events_account_sequence_uq').on(t.accountId, t.sequence),
    // The operator's event log finds an event by its id alone.
    index('webhook_events_id_idx').on(t.id),
    index('webhook_events_type_created_idx').on(t.type, t.createdAt),
  ],
);

export const webhookDeliveryStatus = pgEnum('webhook_delivery_status', ['pending', 'succeeded', 'failed', 'cancelled']);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    // The event's account, so a delivery lives beside its event when tables are distributed by account.
    accountId: text('account_id').notNull(),
    eventId: text('event_id').notNull(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    status: webhookDeliveryStatus('status').notNull().default('pending'),
    /** Attempts claimed so far; also the fence that lets only the latest claim record its answer. */
    attempts: integer('attempts').notNull().default(0),
    // When a pending delivery is next due. A claim pushes it past the attempt's timeout, so a process killed
    // mid-attempt leaves it due again soon after, and no other process takes it while the attempt runs.
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.eventId, t.endpointId] }),
    foreignKey({
      name: 'webhook_deliveries_event_fk',
      columns: [t.accountId, t.eventId],
      foreignColumns: [webhookEvents.accountId, webhookEvents.id],
    }),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    accountId: text('account_id').notNull(),
    eventId: text('event_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    attempt: integer('attempt').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    /** The answer's HTTP status; null when none came (refused, timed out, redirected elsewhere). */
    statusCode: integer('status_code'),
    /** The first few hundred characters of the answer, or why there was none. */
    excerpt: text('excerpt').notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** When the next attempt is due; null when this one settled the delivery. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.eventId, t.endpointId, t.attempt] }),
    foreignKey({
      name: 'webhook_attempts_delivery_fk',
      columns: [t.accountId, t.eventId, t.endpointId],
      foreignColumns: [webhookDeliveries.accountId, webhookDeliveries.eventId, webhookDeliveries.endpointId],
    }),
  ],
);

// Per account: below how many tokens (credits plus the plan allowance left) a `credits.low` event is sent.
export const creditAlertSettings = pgTable('credit_alert_settings', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id),
  threshold: bigint('threshold', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
