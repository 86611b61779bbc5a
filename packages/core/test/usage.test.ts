import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowanceRemaining, applyUsage, defaultCatalog, isDomainError } from '../src/index';
import { catchDomainError } from './helpers';

describe('applyUsage', () => {
  it('adds counts within the limit, up to exactly the limit', () => {
    expect(applyUsage({ metric: 'events', used: 9_990, quantity: 10, limit: 10_000 })).toEqual({ used: 10_000 });
    expect(applyUsage({ metric: 'sessions', used: 0, quantity: 1, limit: null })).toEqual({ used: 1 });
  });

  it('refuses the whole request when it would exceed the limit', () => {
    const error = catchDomainError(
      () => applyUsage({ metric: 'events', used: 9_990, quantity: 20, limit: 10_000 }),
      'PLAN_LIMIT_REACHED',
    );
    expect(error.message).toBe('Plan limit reached for events: 9990 of 10000 used, 20 more requested');
    expect(error.details).toEqual({ metric: 'events', used: 9_990, limit: 10_000, requested: 20 });
  });

  it('refuses everything on a zero limit and when already over the limit after a downgrade', () => {
    catchDomainError(() => applyUsage({ metric: 'enrichments', used: 0, quantity: 1, limit: 0 }), 'PLAN_LIMIT_REACHED');
    catchDomainError(
      () => applyUsage({ metric: 'sessions', used: 300, quantity: 1, limit: 200 }),
      'PLAN_LIMIT_REACHED',
    );
  });

  it('requires counts to be positive integers, and used and limit to be non-negative ones, naming them', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      const error = catchDomainError(
        () => applyUsage({ metric: 'events', used: 0, quantity, limit: null }),
        'INVALID_INPUT',
      );
      expect(error.message).toBe(`quantity must be a positive integer, got ${quantity}`);
    }
    expect(
      catchDomainError(() => applyUsage({ metric: 'events', used: -1, quantity: 1, limit: null }), 'INVALID_INPUT')
        .message,
    ).toBe('used must be a non-negative integer, got -1');
    for (const metric of ['events', 'storage'] as const) {
      expect(
        catchDomainError(() => applyUsage({ metric, used: 0, quantity: -1, limit: -5 }), 'INVALID_INPUT').message,
      ).toBe('limit must be a non-negative integer, got -5');
    }
  });

  it('treats storage as a level: it goes down, never below zero, even above the limit', () => {
    const limit = defaultCatalog.plans.team.limits.storage;
    expect(applyUsage({ metric: 'storage', used: 100, quantity: -40, limit })).toEqual({ used: 60 });
    expect(applyUsage({ metric: 'storage', used: 100, quantity: -400, limit })).toEqual({ used: 0 });
    expect(applyUsage({ metric: 'storage', used: 600_000_000, quantity: -1, limit })).toEqual({ used: 599_999_999 });
    expect(applyUsage({ metric: 'storage', used: 5, quantity: 0, limit: 0 })).toEqual({ used: 5 });
    catchDomainError(
      () => applyUsage({ metric: 'storage', used: 536_870_900, quantity: 13, limit }),
      'PLAN_LIMIT_REACHED',
    );
    expect(
      catchDomainError(() => applyUsage({ metric: 'storage', used: 0, quantity: 0.5, limit }), 'INVALID_INPUT').message,
    ).toBe('quantity must be an integer, got 0.5');
  });

  it('property: a sequence of records never exceeds the limit, and storage never goes negative', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sessions', 'events', 'enrichments', 'storage' as const),
        fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: null }),
        fc.array(fc.integer({ min: -200, max: 200 }), { maxLength: 60 }),
        (metric, limit, quantities) => {
          let used = 0;
          for (const raw of quantities) {
            const quantity = metric === 'storage' ? raw : Math.abs(raw) + 1;
            try {
              const next = applyUsage({ metric, used, quantity, limit }).used;
              expect(next).toBe(Math.max(0, used + quantity));
              used = next;
            } catch (error) {
              expect(isDomainError(error) && error.code).toBe('PLAN_LIMIT_REACHED');
              expect(limit).not.toBeNull();
              expect(used + quantity).toBeGreaterThan(limit ?? 0);
            }
            expect(used).toBeGreaterThanOrEqual(0);
            if (limit !== null) expect(used).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });
});

describe('allowanceRemaining', () => {
  const { team, enterprise } = defaultCatalog.plans;

  it('is the allowance minus use, floored at zero, and null when unlimited', () => {
    expect(allowanceRemaining(team, 0)).toBe(5_000_000);
    expect(allowanceRemaining(team, 4_999_999)).toBe(1);
    expect(allowanceRemaining(team, 6_000_000)).toBe(0);
    expect(allowanceRemaining(enterprise, 10 ** 12)).toBeNull();
  });

  it('refuses a negative or fractional usage, on limited and unlimited plans', () => {
    expect(catchDomainError(() => allowanceRemaining(team, -1), 'INVALID_INPUT').message).toBe(
      'usedThisPeriod must be a non-negative integer, got -1',
    );
    catchDomainError(() => allowanceRemaining(team, 0.5), 'INVALID_INPUT');
    catchDomainError(() => allowanceRemaining(enterprise, -1), 'INVALID_INPUT');
  });
});

describe('applyUsage on an unlimited counter near 2^53', () => {
  it('refuses the event that would take it past the exact integer range, and accepts up to it', () => {
    const near = Number.MAX_SAFE_INTEGER - 5;
    expect(applyUsage({ metric: 'events', used: near, quantity: 5, limit: null })).toEqual({
      used: Number.MAX_SAFE_INTEGER,
    });
    expect(() => applyUsage({ metric: 'events', used: near, quantity: 6, limit: null })).toThrow(/limit/i);
    expect(() => applyUsage({ metric: 'storage', used: near, quantity: 6, limit: null })).toThrow(/limit/i);
  });
});
