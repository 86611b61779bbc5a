import { DEFAULT_AUTO_RECHARGE, DomainError } from '@contox/core';
import { type Executor, schema } from '@contox/db';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { CreditsView, TransactionView } from './credits-schemas';
import { apiTime } from '../time';

const t = schema.creditTransactions;

export async function readBalance(db: Executor, accountId: string): Promise<number> {
  const [row] = await db
    .select({ balance: schema.creditBalances.balance })
    .from(schema.creditBalances)
    .where(eq(schema.creditBalances.accountId, accountId));
  return row?.balance ?? 0;
}

export async function readAutoRecharge(db: Executor, accountId: string): Promise<CreditsView['autoRecharge']> {
  const [row] = await db
    .select()
    .from(schema.autoRechargeSettings)
    .where(eq(schema.autoRechargeSettings.accountId, accountId));
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

/** Newest first, keyset-paged on the ledger sequence so deep pages cost the same as the first. */
export async function readTransactions(
  db: Executor,
  accountId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ transactions: TransactionView[]; nextCursor?: string }> {
  const before = parseCursor(page.cursor);
  const rows = await db
    .select()
    .from(t)
    .where(before === null ? eq(t.accountId, accountId) : and(eq(t.accountId, accountId), lt(t.seq, before)))
    .orderBy(desc(t.seq))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows.at(-1);
  return {
    transactions: pageRows.map(toTransactionView),
    ...(rows.length > page.limit && last ? { nextCursor: String(last.seq) } : {}),
  };
}

export async function readCredits(
  db: Executor,
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
