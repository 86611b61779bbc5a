import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

export const memberRole = pgEnum('member_role', ['owner', 'admin', 'member']);

export const members = pgTable(
  'members',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: memberRole('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('members_account_idx').on(t.accountId),
    uniqueIndex('members_account_email_uq').on(t.accountId, t.email),
    // The contract allows exactly one owner per account: the database enforces it.
    uniqueIndex('members_one_owner_uq').on(t.accountId).where(sql`${t.role} = 'owner'`),
  ],
);
