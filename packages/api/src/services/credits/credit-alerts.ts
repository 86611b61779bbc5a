import type { Database } from '@contox/db';
import { findAlertThreshold, setAlertThreshold } from '../../store/credit-alerts';

/** The low-credit alert as the API shows it: `credits.low` is sent when credits plus allowance left fall below it. */
export interface CreditAlertView {
  /** Tokens; null when the account has no alert. */
  threshold: number | null;
}

export async function readCreditAlert(db: Database, accountId: string): Promise<CreditAlertView> {
  return { threshold: await findAlertThreshold(db, accountId) };
}

/**
 * Sets the account's alert threshold (null switches alerts off). Setting it sends nothing by itself: an alert
 * goes out when spending crosses it, once per crossing.
 */
export async function configureCreditAlert(
  db: Database,
  accountId: string,
  input: CreditAlertView,
  now: Date,
): Promise<CreditAlertView> {
  await setAlertThreshold(db, accountId, input.threshold, now);
  return { threshold: input.threshold };
}
