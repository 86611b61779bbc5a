import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, planSpend } from '../src/index';
import { catchDomainError } from './helpers';

/** A spend with no recharge to wait for: paid now from allowance and credits, or refused. */
const spendNow = (args: { amount: number; allowanceRemaining: number | null; balance: number }) =>
  planSpend({ ...args, rechargeTokens: null }).split;

describe('planSpend without a recharge', () => {
  it('uses the plan allowance first, then credits', () => {
    expect(spendNow({ amount: 300, allowanceRemaining: 1_000, balance: 50 })).toEqual({
      fromAllowance: 300,
      fromCredits: 0,
    });
    expect(spendNow({ amount: 300, allowanceRemaining: 100, balance: 500 })).toEqual({
      fromAllowance: 100,
      fromCredits: 200,
    });
    expect(spendNow({ amount: 300, allowanceRemaining: 0, balance: 300 })).toEqual({
      fromAllowance: 0,
      fromCredits: 300,
    });
  });

  it('never touches credits on an unlimited allowance, whatever the balance (enterprise)', () => {
    expect(spendNow({ amount: 10 ** 12, allowanceRemaining: null, balance: 0 })).toEqual({
      fromAllowance: 10 ** 12,
      fromCredits: 0,
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 12 }), fc.integer({ min: 0, max: 10 ** 12 }), (amount, balance) => {
        const allAllowance = { fromAllowance: amount, fromCredits: 0 };
        expect(spendNow({ amount, allowanceRemaining: null, balance })).toEqual(allAllowance);
        for (const rechargeTokens of [null, 2_500_000]) {
          expect(planSpend({ amount, allowanceRemaining: null, balance, rechargeTokens })).toEqual({
            kind: 'spend',
            split: allAllowance,
          });
        }
      }),
    );
  });

  it('refuses, without partial spend, when allowance and credits cannot cover it', () => {
    const error = catchDomainError(
      () => spendNow({ amount: 300_000, allowanceRemaining: 20_000, balance: 100_000 }),
      'INSUFFICIENT_CREDITS',
    );
    expect(error.details).toEqual({ requested: 300_000, available: 120_000 });
  });

  it('refuses amounts that are not positive safe integers, and malformed balances, naming the field', () => {
    for (const amount of [0, -5, 1.5, Number.NaN, 2 ** 53]) {
      const error = catchDomainError(() => spendNow({ amount, allowanceRemaining: 10, balance: 10 }), 'INVALID_INPUT');
      expect(error.message).toBe(`amount must be a positive integer, got ${amount}`);
    }
    expect(
      catchDomainError(() => spendNow({ amount: 1, allowanceRemaining: -1, balance: 10 }), 'INVALID_INPUT').message,
    ).toBe('allowanceRemaining must be a non-negative integer, got -1');
    expect(
      catchDomainError(() => spendNow({ amount: 1, allowanceRemaining: 10, balance: -1 }), 'INVALID_INPUT').message,
    ).toBe('balance must be a non-negative integer, got -1');
  });

  it('property: the split adds up and respects both sources, or the sources really are short', () => {
    const n = fc.integer({ min: 0, max: 10_000_000 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000_000 }),
        fc.option(n, { nil: null }),
        n,
        (amount, allowance, balance) => {
          try {
            const { fromAllowance, fromCredits } = spendNow({ amount, allowanceRemaining: allowance, balance });
            expect(fromAllowance + fromCredits).toBe(amount);
            expect(fromCredits).toBeGreaterThanOrEqual(0);
            expect(fromCredits).toBeLessThanOrEqual(balance);
            if (allowance !== null) expect(fromAllowance).toBe(Math.min(amount, allowance));
          } catch (error) {
            expect(isDomainError(error) && error.code).toBe('INSUFFICIENT_CREDITS');
            expect(allowance).not.toBeNull();
            expect((allowance ?? 0) + balance).toBeLessThan(amount);
          }
        },
      ),
    );
  });
});

describe('planSpend', () => {
  it('spends directly when allowance and balance suffice', () => {
    expect(planSpend({ amount: 500, allowanceRemaining: 200, balance: 300, rechargeTokens: 2_500_000 })).toEqual({
      kind: 'spend',
      split: { fromAllowance: 200, fromCredits: 300 },
    });
  });

  it('asks for a recharge first when only the recharge makes it fit, with the split after the recharge', () => {
    expect(
      planSpend({ amount: 1_000_000, allowanceRemaining: 100_000, balance: 200_000, rechargeTokens: 2_500_000 }),
    ).toEqual({
      kind: 'recharge_first',
      split: { fromAllowance: 100_000, fromCredits: 900_000 },
    });
  });

  it('refuses when even the recharge is not enough, or no recharge is possible', () => {
    const short = catchDomainError(
      () => planSpend({ amount: 3_000_000, allowanceRemaining: 0, balance: 400_000, rechargeTokens: 2_500_000 }),
      'INSUFFICIENT_CREDITS',
    );
    expect(short.details).toEqual({ requested: 3_000_000, available: 400_000 });
    const withAllowance = catchDomainError(
      () => planSpend({ amount: 3_000_001, allowanceRemaining: 100_000, balance: 400_000, rechargeTokens: 2_500_000 }),
      'INSUFFICIENT_CREDITS',
    );
    expect(withAllowance.details).toEqual({ requested: 3_000_001, available: 500_000 });
    catchDomainError(
      () => planSpend({ amount: 2, allowanceRemaining: 0, balance: 1, rechargeTokens: null }),
      'INSUFFICIENT_CREDITS',
    );
  });

  it('validates its inputs, naming the field', () => {
    const message = (args: Parameters<typeof planSpend>[0]) =>
      catchDomainError(() => planSpend(args), 'INVALID_INPUT').message;
    expect(message({ amount: 1, allowanceRemaining: 0, balance: 0, rechargeTokens: 0 })).toBe(
      'rechargeTokens must be a positive integer, got 0',
    );
    expect(message({ amount: 0, allowanceRemaining: 0, balance: 0, rechargeTokens: null })).toBe(
      'amount must be a positive integer, got 0',
    );
    expect(message({ amount: 1, allowanceRemaining: -2, balance: 0, rechargeTokens: null })).toBe(
      'allowanceRemaining must be a non-negative integer, got -2',
    );
    expect(message({ amount: 1, allowanceRemaining: 0, balance: 0.5, rechargeTokens: null })).toBe(
      'balance must be a non-negative integer, got 0.5',
    );
  });
});
