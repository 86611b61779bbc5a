import { type AutoRechargeSettings, getPlan, requireRechargeAllowed, validateAutoRechargeSettings } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { findAccountPlan } from '../../store/accounts';
import { saveAutoRechargeSettings } from '../../store/payments';
import type { AutoRechargeView } from './read-credits';

/** Validates the owner's settings against the catalogue and saves them; the answer is what was saved. */
export async function configureAutoRecharge(
  deps: Pick<BillingDeps, 'database' | 'catalog' | 'now'>,
  accountId: string,
  input: AutoRechargeView,
): Promise<AutoRechargeSettings> {
  const planId = await findAccountPlan(deps.database.db, accountId);
  const settings = requireRechargeAllowed(
    validateAutoRechargeSettings(input, deps.catalog),
    getPlan(deps.catalog, planId ?? 'free'),
  );
  // Saving the settings is also the owner's answer to a failed recharge: it lifts the pause.
  await saveAutoRechargeSettings(deps.database.db, accountId, settings, deps.now());
  return settings;
}
