import { centsToEuroInput, formatEuro, parseEuroToCents, parseWholeNumber } from './format';

export interface AutoRechargeSettings {
  enabled: boolean;
  threshold: number;
  packId: string;
  spendingLimit: number;
}

/** What the form holds: text as typed, so a half-typed number is not lost or reformatted. */
export interface AutoRechargeDraft {
  enabled: boolean;
  threshold: string;
  packId: string;
  spendingLimit: string;
}

export type AutoRechargeField = keyof AutoRechargeDraft;
export type AutoRechargeErrors = Partial<Record<AutoRechargeField, string>>;

export interface PackPrice {
  id: string;
  tokens: number;
  price: number;
}

export function toDraft(s: AutoRechargeSettings): AutoRechargeDraft {
  return {
    enabled: s.enabled,
    threshold: String(s.threshold),
    packId: s.packId,
    spendingLimit: centsToEuroInput(s.spendingLimit),
  };
}

export type Validated = { ok: true; settings: AutoRechargeSettings } | { ok: false; errors: AutoRechargeErrors };

/** The server's rules, checked before sending so people see them next to the field at once. */
export function validateAutoRecharge(draft: AutoRechargeDraft, packs: readonly PackPrice[]): Validated {
  const errors: AutoRechargeErrors = {};
  const threshold = parseWholeNumber(draft.threshold);
  if (threshold === null) errors.threshold = 'Enter a whole number of tokens, 0 or more.';

  const pack = packs.find((p) => p.id === draft.packId);
  if (!pack) errors.packId = 'Choose a credit pack.';

  const spendingLimit = parseEuroToCents(draft.spendingLimit);
  if (spendingLimit === null) {
    errors.spendingLimit = 'Enter an amount in euros, for example 50.00.';
  } else if (draft.enabled && pack && spendingLimit < pack.price) {
    // A limit below one pack's price could never allow a single recharge.
    errors.spendingLimit = `With auto-recharge on, the limit must be at least ${formatEuro(pack.price)}, the price of the selected pack.`;
  }

  if (threshold === null || !pack || spendingLimit === null || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, settings: { enabled: draft.enabled, threshold, packId: pack.id, spendingLimit } };
}
