import type { AutoRechargeSettings } from './auto-recharge';
import { getPack } from './catalog/catalog';
import type { Catalog, Plan } from './catalog/types';
import { invalidSettings } from './errors';
import { isNonNegativeInteger } from './integers';

const FIELDS = ['enabled', 'threshold', 'packId', 'spendingLimit'];

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? typeof value);
}

function integerField(input: Record<string, unknown>, field: string, unit: string): number {
  const value = input[field];
  if (!isNonNegativeInteger(value)) {
    throw invalidSettings(`${field} must be a whole number of ${unit}, 0 or more; got ${describe(value)}`, { field });
  }
  return value;
}

/**
 * Checks settings coming from the dashboard or the API. All four fields are required (merge a partial update
 * over the current settings first) and unknown fields are refused, so a misspelt field is not silently ignored.
 */
export function validateAutoRechargeSettings(input: unknown, catalog: Catalog): AutoRechargeSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidSettings(`Auto-recharge settings must be an object with ${FIELDS.join(', ')}`);
  }
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) {
    throw invalidSettings(`Unknown auto-recharge setting '${unknown}' (expected ${FIELDS.join(', ')})`, {
      field: unknown,
    });
  }
  const { enabled, packId } = fields;
  if (typeof enabled !== 'boolean') {
    throw invalidSettings(`enabled must be true or false; got ${describe(enabled)}`, { field: 'enabled' });
  }
  const threshold = integerField(fields, 'threshold', 'tokens');
  if (typeof packId !== 'string') {
    throw invalidSettings(`packId must be a credit pack id; got ${describe(packId)}`, { field: 'packId' });
  }
  const pack = getPack(catalog, packId);
  const spendingLimit = integerField(fields, 'spendingLimit', 'euro cents');
  if (enabled && spendingLimit < pack.price) {
    throw invalidSettings(
      `spendingLimit (${spendingLimit} cents) is below the price of pack ${pack.id} (${pack.price} cents), so auto-recharge could never run`,
      { field: 'spendingLimit' },
    );
  }
  return { enabled, threshold, packId: pack.id, spendingLimit };
}

/** Auto-recharge buys credits: on a plan that cannot hold credits it can be saved only switched off. */
export function requireRechargeAllowed(
  settings: AutoRechargeSettings,
  plan: Pick<Plan, 'id' | 'creditsAllowed'>,
): AutoRechargeSettings {
  if (settings.enabled && !plan.creditsAllowed) {
    throw invalidSettings(
      `Auto-recharge cannot be enabled on the ${plan.id} plan: it cannot buy credits. Upgrade to a paid plan first`,
      { field: 'enabled', planId: plan.id },
    );
  }
  return settings;
}
