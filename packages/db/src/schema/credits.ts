import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

export const creditBalances = pgTable(
  'credit_balances',
  {
    accountId: text('account_id')
      .primaryKey()
      .references(() => accounts.id),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('credit_balances_non_negative', sql`${t.balance} >= 0`)],
);

export const transactionType = pgEnum('credit_transaction_type', [
  'purchase',
  'auto_recharge',
  'usage',
  'grant',
  'refund',
  'adjustment',
]);

// Append-only: a trigger in the migrations refuses UPDATE and DELETE.
export const creditTransactions = pgTable(
  'credit_transactions',
  {
    id: text('id').notNull(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    type: transactionType('type').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    fromAllowance: bigint('from_allowance', { mode: 'number' }).notNull().default(0),
    price: integer('price'),
    description: text('description'),
    // Stripe PaymentIntent id, idempotency key or similar: one effect per reference of the account.
    externalRef: text('external_ref'),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Ascending, read backwards for newest-first pages: a DESC NULLS LAST index would not serve `order by seq desc`.
  // Every key leads with the account: the table is distributed by account on Citus (docs/scaling.md). Every read
  // of the ledger skips allowance-only rows (amount 0), so no index of all rows by seq: each one cost every
  // spend's insert (migration 0014).
  (t) => [
    primaryKey({ columns: [t.accountId, t.id] }),
    uniqueIndex('credit_transactions_account_external_ref_uq').on(t.accountId, t.externalRef),
    // The credits history lists balance changes only: allowance-only spends (amount 0) are skipped by the index.
    index('credit_transactions_account_changes_idx').on(t.accountId, t.seq).where(sql`${t.amount} <> 0`),
    // The balance history's probes, "the last change at or before this instant": found by time, each one an
    // index-only read (balance_after is a key column because drizzle writes no INCLUDE), so a chart of N points
    // costs N probes however long the ledger is.
    index('credit_transactions_account_changes_at_idx')
      .on(t.accountId, t.createdAt, t.seq, t.balanceAfter)
      .where(sql`${t.amount} <> 0`),
  ],
);

export const autoRechargeSettings = pgTable('auto_recharge_settings', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id),
  enabled: boolean('enabled').notNull(),
  threshold: bigint('threshold', { mode: 'number' }).notNull(),
  packId: text('pack_id').notNull(),
  spendingLimit: integer('spending_limit').notNull(),
  // Set when an auto-recharge fails (declined card, no card): no new attempt until the owner saves the
  // settings again, so a bad card is charged once, not on every spend.
  pausedPaymentId: text('paused_payment_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const paymentKind = pgEnum('credit_payment_kind', ['purchase', 'auto_recharge']);
export const paymentStatus = pgEnum('credit_payment_status', ['pending', 'succeeded', 'failed']);

// One row per attempt to charge for credits; its id seeds the Stripe idempotency key.
export const creditPayments = pgTable(
  'credit_payments',
  {
    id: text('id').notNull(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    kind: paymentKind('kind').notNull(),
    packId: text('pack_id').notNull(),
    tokens: bigint('tokens', { mode: 'number' }).notNull(),
    price: integer('price').notNull(),
    status: paymentStatus('status').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    paymentIntentId: text('payment_intent_id'),
    // A pack bought on Stripe Checkout (on-session, 3-D Secure possible) rather than with the saved card.
    checkoutSessionId: text('checkout_session_id'),
    // The card a failed charge was made with: a new default card lifts the auto-recharge pause it caused.
    paymentMethodId: text('payment_method_id'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.id] }),
    // A PaymentIntent or a Checkout Session belongs to one customer, so to one account.
    uniqueIndex('credit_payments_account_payment_intent_uq').on(t.accountId, t.paymentIntentId),
    uniqueIndex('credit_payments_account_checkout_session_uq').on(t.accountId, t.checkoutSessionId),
    // Webhooks and the reconciler find a payment by its id or its session alone (nothing names the account):
    // plain indexes, so no unique key leaves out the account.
    index('credit_payments_id_idx').on(t.id),
    index('credit_payments_checkout_session_idx')
      .on(t.checkoutSessionId)
      .where(sql`${t.checkoutSessionId} is not null`),
    index('credit_payments_account_period_idx').on(t.accountId, t.periodStart),
    // At most one auto-recharge in flight per account, enforced by the database.
    uniqueIndex('credit_payments_one_recharge_in_flight_uq')
      .on(t.accountId)
      .where(sql`${t.kind} = 'auto_recharge' and ${t.status} = 'pending'`),
  ],
);
