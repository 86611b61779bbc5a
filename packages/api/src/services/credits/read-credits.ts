import { DEFAULT_AUTO_RECHARGE, DomainError } from '@contox/core';
import type { Database } from '@contox/db';
import type { BillingDeps } from '../../deps';
import { type LedgerRow, readBalance, readLedgerPage } from '../../store/ledger';
import { findAutoRechargeSettings, type StoredAutoRechargeSettings } from '../../store/payments';
import { apiTime } from '../../time';
import { type AutoRechargeState, readAutoRechargeState } from './auto-recharge-state';
import { type CreditAlertView, readCreditAlert } from './credit-alerts';

/** Auto-recharge settings as the API shows them; a pack since removed from the catalogue keeps its id. */
export interface AutoRechargeView {
  enabled: boolean;
  threshold: number;
  packId: string;
  spendingLimit: number;
}

/** One ledger row as the API shows it: times as API strings, absent price and description left out. */
export interface TransactionView {
  id: string;
  type: LedgerRow['type'];
  amount: number;
  price?: number;
  description?: string;
  createdAt: string;
}

export interface TransactionPage {
  transactions: TransactionView[];
  nextCursor?: string;
}

export interface CreditsView extends TransactionPage {
  balance: number;
  autoRecharge: AutoRechargeState;
  /** The low-credit alert (`credits.low` webhook). */
  alerts: CreditAlertView;
}

/** The saved settings as the API shows them; the published defaults when none were saved. */
export function settingsView(row: StoredAutoRechargeSettings | null): AutoRechargeView {
  if (!row) return { ...DEFAULT_AUTO_RECHARGE };
  return { enabled: row.enabled, threshold: row.threshold, packId: row.packId, spendingLimit: row.spendingLimit };
}

export async function readAutoRecharge(db: Database, accountId: string): Promise<AutoRechargeView> {
  return settingsView(await findAutoRechargeSettings(db, accountId));
}

function parseCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  if (!/^\d{1,15}$/.test(cursor)) throw new DomainError('INVALID_INPUT', 'cursor: not a cursor returned by this API');
  return Number(cursor);
}

function toTransactionView(row: LedgerRow): TransactionView {
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
async function readTransactions(
  db: Database,
  accountId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<TransactionPage> {
  const before = parseCursor(page.cursor);
  const rows = await readLedgerPage(db, accountId, page.limit + 1, before);
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows.at(-1);
  return {
    transactions: pageRows.map(toTransactionView),
    ...(rows.length > page.limit && last ? { nextCursor: String(last.seq) } : {}),
  };
}

/** Balance, auto-recharge settings and state, and one page of the ledger, newest first. */
export async function readCredits(
  deps: Pick<BillingDeps, 'database' | 'catalog'>,
  accountId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<CreditsView> {
  const { db } = deps.database;
  const [balance, autoRecharge, alerts, history] = await Promise.all([
    readBalance(db, accountId),
    readAutoRechargeState(deps, accountId),
    readCreditAlert(db, accountId),
    readTransactions(db, accountId, page),
  ]);
  return { balance, autoRecharge, alerts, ...history };
}
