import { type AutoRechargeSettings, validateAutoRechargeSettings } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { saveAutoRechargeSettings } from '../../store/payments';
import type { AutoRechargeView } from './read-credits';

/** Validates the owner's settings against the catalogue and saves them; the answer is what was saved. */
export async function configureAutoRecharge(
  deps: Pick<BillingDeps, 'database' | 'catalog' | 'now'>,
  accountId: string,
  input: AutoRechargeView,
): Promise<AutoRechargeSettings> {
  const settings = validateAutoRechargeSettings(input, deps.catalog);
  // Saving the settings is also the owner's answer to a failed recharge: it lifts the pause.
  await saveAutoRechargeSettings(deps.database.db, accountId, settings, deps.now());
  return settings;
}
