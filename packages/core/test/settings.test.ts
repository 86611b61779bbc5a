import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTO_RECHARGE, catalogFromOverride, defaultCatalog, validateAutoRechargeSettings } from '../src/index';
import { catchDomainError } from './helpers';

const valid = { enabled: true, threshold: 1_000_000, packId: 'credits_7m', spendingLimit: 10_000 };
const message = (input: unknown) =>
  catchDomainError(() => validateAutoRechargeSettings(input, defaultCatalog), 'INVALID_SETTINGS').message;

describe('validateAutoRechargeSettings', () => {
  it('returns clean settings for valid input', () => {
    expect(validateAutoRechargeSettings(valid, defaultCatalog)).toEqual(valid);
    expect(validateAutoRechargeSettings({ ...DEFAULT_AUTO_RECHARGE }, defaultCatalog)).toEqual(DEFAULT_AUTO_RECHARGE);
  });

  it('accepts a spending limit of exactly one pack', () => {
    expect(validateAutoRechargeSettings({ ...valid, spendingLimit: 2_500 }, defaultCatalog).spendingLimit).toBe(2_500);
  });

  it('accepts a zero threshold and, when disabled, a spending limit below the pack price', () => {
    expect(validateAutoRechargeSettings({ ...valid, threshold: 0 }, defaultCatalog).threshold).toBe(0);
    expect(
      validateAutoRechargeSettings({ ...valid, enabled: false, spendingLimit: 0 }, defaultCatalog).spendingLimit,
    ).toBe(0);
  });

  it('names the field in every refusal', () => {
    for (const input of [null, 'on', 7, [valid]]) {
      expect(message(input)).toBe(
        'Auto-recharge settings must be an object with enabled, threshold, packId, spendingLimit',
      );
    }
    expect(message({ ...valid, enabled: 'true' })).toBe('enabled must be true or false; got "true"');
    expect(message({ ...valid, threshold: -1 })).toBe('threshold must be a whole number of tokens, 0 or more; got -1');
    expect(message({ ...valid, threshold: 1.5 })).toContain('threshold must be a whole number of tokens');
    expect(message({ ...valid, threshold: undefined })).toBe(
      'threshold must be a whole number of tokens, 0 or more; got nothing',
    );
    expect(message({ ...valid, spendingLimit: '5000' })).toBe(
      'spendingLimit must be a whole number of euro cents, 0 or more; got "5000"',
    );
    expect(message({ ...valid, packId: 7 })).toBe('packId must be a credit pack id; got 7');
    expect(message({ ...valid, spendingLimit: 2_000 })).toBe(
      'spendingLimit (2000 cents) is below the price of pack credits_7m (2500 cents), so auto-recharge could never run',
    );
    expect(message({ ...valid, spendLimit: 100 })).toBe(
      "Unknown auto-recharge setting 'spendLimit' (expected enabled, threshold, packId, spendingLimit)",
    );
  });

  it('puts the failing field in details', () => {
    const field = (input: unknown) =>
      catchDomainError(() => validateAutoRechargeSettings(input, defaultCatalog), 'INVALID_SETTINGS').details;
    expect(field({ ...valid, threshold: -1 })).toEqual({ field: 'threshold' });
    expect(field({ ...valid, enabled: 1 })).toEqual({ field: 'enabled' });
    expect(field({ ...valid, packId: null })).toEqual({ field: 'packId' });
    expect(field({ ...valid, spendingLimit: -1 })).toEqual({ field: 'spendingLimit' });
    expect(field({ ...valid, spendingLimit: 100 })).toEqual({ field: 'spendingLimit' });
    expect(field({ ...valid, spendLimit: 100 })).toEqual({ field: 'spendLimit' });
  });

  it('refuses unknown packs with UNKNOWN_PACK', () => {
    const error = catchDomainError(
      () => validateAutoRechargeSettings({ ...valid, packId: 'credits_100m' }, defaultCatalog),
      'UNKNOWN_PACK',
    );
    expect(error.message).toContain('credits_100m');
  });

  it('checks the limit against the pack price of the catalogue in force', () => {
    const catalog = catalogFromOverride({ packs: { credits_7m: { price: 12_000 } } });
    expect(() => validateAutoRechargeSettings(valid, catalog)).toThrow(
      /below the price of pack credits_7m \(12000 cents\)/,
    );
  });
});
