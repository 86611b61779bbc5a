import { describe, expect, it } from 'vitest';
import {
  type AutoRechargeSettings,
  DEFAULT_AUTO_RECHARGE,
  catalogFromOverride,
  decideAutoRecharge,
  decideShortfallRecharge,
  defaultCatalog,
} from '../src/index';
import { catchDomainError } from './helpers';

const enabled: AutoRechargeSettings = { ...DEFAULT_AUTO_RECHARGE, enabled: true };
const base = {
  settings: enabled,
  plan: defaultCatalog.plans.team,
  catalog: defaultCatalog,
  balance: 100_000,
  chargedThisPeriod: 0,
};

describe('DEFAULT_AUTO_RECHARGE', () => {
  it('is the published default: off, 500k threshold, 2.5M pack, 50.00 EUR limit', () => {
    expect(DEFAULT_AUTO_RECHARGE).toEqual({
      enabled: false,
      threshold: 500_000,
      packId: 'credits_2_5m',
      spendingLimit: 5000,
    });
    expect(Object.isFrozen(DEFAULT_AUTO_RECHARGE)).toBe(true);
  });
});

describe('decideAutoRecharge', () => {
  it('recharges the configured pack below the threshold', () => {
    expect(decideAutoRecharge(base)).toEqual({ recharge: true, pack: defaultCatalog.packs.credits_2_5m });
    expect(decideAutoRecharge({ ...base, balance: 499_999 }).recharge).toBe(true);
  });

  it('does nothing at or above the threshold', () => {
    expect(decideAutoRecharge({ ...base, balance: 500_000 })).toEqual({ recharge: false, reason: 'above_threshold' });
  });

  it('does nothing when disabled', () => {
    expect(decideAutoRecharge({ ...base, settings: DEFAULT_AUTO_RECHARGE })).toEqual({
      recharge: false,
      reason: 'disabled',
    });
  });

  it('never recharges on a plan that cannot hold credits', () => {
    expect(decideAutoRecharge({ ...base, plan: defaultCatalog.plans.free })).toEqual({
      recharge: false,
      reason: 'credits_not_allowed',
    });
  });

  it('stops when the pack would take the period over the spending limit (in-flight charges included)', () => {
    expect(decideAutoRecharge({ ...base, chargedThisPeriod: 4_000 }).recharge).toBe(true);
    expect(decideAutoRecharge({ ...base, chargedThisPeriod: 4_001 })).toEqual({
      recharge: false,
      reason: 'limit_exceeded',
    });
    expect(decideAutoRecharge({ ...base, settings: { ...enabled, spendingLimit: 999 } })).toEqual({
      recharge: false,
      reason: 'limit_exceeded',
    });
  });

  it('reports the reason that matters: above the threshold, the limit does not matter', () => {
    expect(decideAutoRecharge({ ...base, balance: 600_000, chargedThisPeriod: 5_000 })).toEqual({
      recharge: false,
      reason: 'above_threshold',
    });
  });

  it('uses the pack price from the catalogue in force', () => {
    const catalog = catalogFromOverride({ packs: { credits_2_5m: { price: 1_500 } } });
    expect(decideAutoRecharge({ ...base, catalog, chargedThisPeriod: 3_600 })).toEqual({
      recharge: false,
      reason: 'limit_exceeded',
    });
    expect(decideAutoRecharge({ ...base, catalog, chargedThisPeriod: 3_500 })).toMatchObject({
      recharge: true,
      pack: { price: 1_500 },
    });
  });

  it('refuses malformed numbers, naming them', () => {
    expect(catchDomainError(() => decideAutoRecharge({ ...base, balance: -1 }), 'INVALID_INPUT').message).toBe(
      'balance must be a non-negative integer, got -1',
    );
    expect(
      catchDomainError(() => decideAutoRecharge({ ...base, chargedThisPeriod: 1.5 }), 'INVALID_INPUT').message,
    ).toBe('chargedThisPeriod must be a non-negative integer, got 1.5');
  });
});

describe('decideShortfallRecharge', () => {
  it('ignores the threshold but keeps every other rule', () => {
    expect(decideShortfallRecharge({ ...base, settings: { ...enabled, threshold: 0 } })).toMatchObject({
      recharge: true,
    });
    expect(decideShortfallRecharge({ ...base, chargedThisPeriod: 4_500 })).toEqual({
      recharge: false,
      reason: 'limit_exceeded',
    });
    expect(decideShortfallRecharge({ ...base, settings: DEFAULT_AUTO_RECHARGE })).toEqual({
      recharge: false,
      reason: 'disabled',
    });
  });
});
