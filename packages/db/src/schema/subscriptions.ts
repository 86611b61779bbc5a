import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: text('id').notNull(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    stripeSubscriptionId: text('stripe_subscription_id').notNull(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    stripeItemId: text('stripe_item_id'),
    plan: text('plan').notNull(),
    interval: text('interval').notNull(),
    seats: integer('seats').notNull(),
    status: text('status').notNull(),
    currentPeriodStart: timestamp('current_period_start', { withTimezone: true }).notNull(),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }).notNull(),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    cancelAt: timestamp('cancel_at', { withTimezone: true }),
    canceledAt: timestamp('canceled_at', { withTimezone: true }),
    // Usage periods are monthly from this instant: the billing anchor when the subscription began, kept when
    // Stripe moves its anchor (an interval change), so a change never restarts the usage period.
    usageAnchor: timestamp('usage_anchor', { withTimezone: true }),
    // The end of what is paid: usage periods past it wait for the renewal invoice to be paid (core periods).
    paidThrough: timestamp('paid_through', { withTimezone: true }),
    // Stripe's page for paying the open invoice while one is owed (past_due), else null.
    payUrl: text('pay_url'),
    // Creation time of the newest Stripe event applied: an older event never overwrites newer state.
    stripeEventCreated: timestamp('stripe_event_created', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Every key leads with the account (docs/scaling.md); the primary key also serves the account's lookups.
  (t) => [
    primaryKey({ columns: [t.accountId, t.id] }),
    // A Stripe subscription belongs to one customer, so to one account.
    uniqueIndex('subscriptions_account_stripe_subscription_uq').on(t.accountId, t.stripeSubscriptionId),
    // A webhook names the Stripe subscription alone: a plain index finds its row.
    index('subscriptions_stripe_subscription_idx').on(t.stripeSubscriptionId),
  ],
);
