import { DEFAULT_AUTO_RECHARGE, DomainError } from '@contox/core';
import { type Database, schema } from '@contox/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { prepared } from '../store/prepared';
import type { CreditsView, TransactionView } from './credits-schemas';
import { apiTime } from '../time';

const t = schema.creditTransactions;

const balanceQuery = (db: Database) =>
  db
    .select({ balance: schema.creditBalances.balance })
    .from(schema.creditBalances)
    .where(eq(schema.creditBalances.accountId, sql.placeholder('accountId')))
    .prepare('credit_balance');

const settingsQuery = (db: Database) =>
  db
    .select()
    .from(schema.autoRechargeSettings)
    .where(eq(schema.autoRechargeSettings.accountId, sql.placeholder('accountId')))
    .prepare('auto_recharge_settings');

export async function readBalance(db: Database, accountId: string): Promise<number> {
  const [row] = await prepared(db, 'credit_balance', balanceQuery).execute({ accountId });
  return row?.balance ?? 0;
}

export async function readAutoRecharge(db: Database, accountId: string): Promise<CreditsView['autoRecharge']> {
  const [row] = await prepared(db, 'auto_recharge_settings', settingsQuery).execute({ accountId });
  if (!row) return { ...DEFAULT_AUTO_RECHARGE };
  return { enabled: row.enabled, threshold: row.threshold, packId: row.packId, spendingLimit: row.spendingLimit };
}

function parseCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  if (!/^\d{1,15}$/.test(cursor)) throw new DomainError('INVALID_INPUT', 'cursor: not a cursor returned by this API');
  return Number(cursor);
}

export function toTransactionView(row: typeof t.$inferSelect): TransactionView {
  return {
    id: row.id,
    type: row.type,
    amount: row.amount,
    ...(row.price !== null ? { price: row.price } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    createdAt: apiTime(row.createdAt),
  };
}

const firstPageQuery = (db: Database) =>
  db
    .select()
    .from(t)
    .where(eq(t.accountId, sql.placeholder('accountId')))
    .orderBy(desc(t.seq))
    .limit(sql.placeholder('limit'))
    .prepare('ledger_first_page');

const pageBeforeQuery = (db: Database) =>
  db
    .select()
    .from(t)
    .where(and(eq(t.accountId, sql.placeholder('accountId')), lt(t.seq, sql.placeholder('before'))))
    .orderBy(desc(t.seq))
    .limit(sql.placeholder('limit'))
    .prepare('ledger_page_before');

/** Newest first, keyset-paged on the ledger sequence so deep pages cost the same as the first. */
export async function readTransactions(
  db: Database,
  accountId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ transactions: TransactionView[]; nextCursor?: string }> {
  const before = parseCursor(page.cursor);
  const rows =
    before === null
      ? await prepared(db, 'ledger_first_page', firstPageQuery).execute({ accountId, limit: page.limit + 1 })
      : await prepared(db, 'ledger_page_before', pageBeforeQuery).execute({ accountId, before, limit: page.limit + 1 });
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows.at(-1);
  return {
    transactions: pageRows.map(toTransactionView),
    ...(rows.length > page.limit && last ? { nextCursor: String(last.seq) } : {}),
  };
}

export async function readCredits(
  db: Database,
  accountId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<CreditsView> {
  const [balance, autoRecharge, history] = await Promise.all([
    readBalance(db, accountId),
    readAutoRecharge(db, accountId),
    readTransactions(db, accountId, page),
  ]);
  return { balance, autoRecharge, ...history };
}
