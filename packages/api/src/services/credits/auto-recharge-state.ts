import { type AutoRechargeStatus, autoRechargeStatus, getPlan } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { findAccountPlan } from '../../store/accounts';
import { findAutoRechargeSettings, findPayment } from '../../store/payments';
import { type AutoRechargeView, settingsView } from './read-credits';

/** The settings as saved, and whether they can run now (`status`, with `pausedReason` when they cannot). */
export interface AutoRechargeState extends AutoRechargeView {
  status: AutoRechargeStatus['status'];
  pausedReason: string | null;
}

/** The account's auto-recharge settings and state: paused by a failed charge or by a plan without credits. */
export async function readAutoRechargeState(
  deps: Pick<BillingDeps, 'database' | 'catalog'>,
  accountId: string,
): Promise<AutoRechargeState> {
  const { db } = deps.database;
  const [row, planId] = await Promise.all([findAutoRechargeSettings(db, accountId), findAccountPlan(db, accountId)]);
  const failed = row?.pausedPaymentId ? await findPayment(db, row.pausedPaymentId) : null;
  const status = autoRechargeStatus({
    enabled: row?.enabled ?? false,
    plan: getPlan(deps.catalog, planId ?? 'free'),
    failure: row?.pausedPaymentId ? (failed?.failureMessage ?? 'the charge failed.') : null,
  });
  return { ...settingsView(row), ...status };
}
