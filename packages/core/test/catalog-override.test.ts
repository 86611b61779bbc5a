import { describe, expect, it } from 'vitest';
import { type Catalog, catalogFromOverride, catalogTable, defaultCatalog, getPack } from '../src/index';
import { catchDomainError } from './helpers';

const invalid = (override: unknown, base?: Catalog) =>
  catchDomainError(() => catalogFromOverride(override, base), 'INVALID_SETTINGS').message;

describe('catalogFromOverride', () => {
  it('an empty override yields the base catalogue', () => {
    expect(catalogFromOverride({})).toEqual(defaultCatalog);
    expect(catalogFromOverride({ plans: {}, packs: {} })).toEqual(defaultCatalog);
  });

  it('applies deep-partial plan and pack fields and keeps the rest', () => {
    const catalog = catalogFromOverride({
      plans: {
        team: { limits: { events: 20_000 }, prices: { year: 18_000 }, maxSeats: null },
        free: { tokenAllowance: 10_000 },
      },
      packs: { credits_1m: { price: 450 } },
    });
    expect(catalog.plans.team.limits).toEqual({
      sessions: 200,
      events: 20_000,
      enrichments: 100,
      storage: 536_870_912,
    });
    expect(catalog.plans.team.prices).toEqual({ month: 1_900, year: 18_000 });
    expect(catalog.plans.team.maxSeats).toBeNull();
    expect(catalog.plans.team.minSeats).toBe(2);
    expect(catalog.plans.free.tokenAllowance).toBe(10_000);
    expect(getPack(catalog, 'credits_1m')).toEqual({ id: 'credits_1m', tokens: 1_000_000, price: 450 });
    expect(catalog.plans.business).toEqual(defaultCatalog.plans.business);
    expect(catalogTable(catalog)).toContain('| 2+ | 5,000,000 | yes | 200 | 20,000 |');
  });

  it('accepts null as unlimited and an id equal to its key (a full catalogue dump)', () => {
    const dump = JSON.parse(JSON.stringify(defaultCatalog));
    dump.plans.business.limits.sessions = null;
    const catalog = catalogFromOverride(dump);
    expect(catalog.plans.business.limits.sessions).toBeNull();
  });

  it('does not mutate the base and returns a frozen catalogue', () => {
    const catalog = catalogFromOverride({ plans: { team: { limits: { sessions: 1 } } } });
    expect(defaultCatalog.plans.team.limits.sessions).toBe(200);
    expect(Object.isFrozen(catalog.plans.team.limits)).toBe(true);
  });

  it('layers over a custom base', () => {
    const base = catalogFromOverride({ packs: { credits_7m: { tokens: 8_000_000 } } });
    const catalog = catalogFromOverride({ packs: { credits_7m: { price: 2_000 } } }, base);
    expect(catalog.packs.credits_7m).toEqual({ id: 'credits_7m', tokens: 8_000_000, price: 2_000 });
  });

  it('names the field and the bad value in every refusal', () => {
    expect(invalid(null)).toBe('Invalid catalog override: the override must be an object, got null');
    expect(invalid([])).toContain('the override must be an object');
    expect(invalid({ plans: { gold: {} } })).toContain('unknown key plans.gold (expected one of free, personal');
    expect(invalid({ plan: {} })).toContain('unknown key plan');
    expect(invalid({ plans: { team: { tokenAllowence: 1 } } })).toContain('unknown key plans.team.tokenAllowence');
    expect(invalid({ plans: { team: { limits: { events: -1 } } } })).toBe(
      'Invalid catalog override: plans.team.limits.events must be an integer >= 0 or null (unlimited), got -1',
    );
    expect(invalid({ plans: { team: { limits: { storage: 1.5 } } } })).toContain('plans.team.limits.storage');
    expect(invalid({ plans: { team: { limits: { cpu: 1 } } } })).toContain('unknown key plans.team.limits.cpu');
    expect(invalid({ plans: { team: { limits: null } } })).toContain('plans.team.limits must be an object, got null');
    expect(invalid({ plans: { team: { tokenAllowance: '5000000' } } })).toContain(
      'plans.team.tokenAllowance must be an integer >= 0 or null (unlimited), got "5000000"',
    );
    expect(invalid({ plans: { team: { tokenAllowance: 2 ** 53 } } })).toContain('plans.team.tokenAllowance');
    expect(invalid({ plans: { team: { name: ' ' } } })).toContain('plans.team.name must be a non-empty string');
    expect(invalid({ plans: { team: { creditsAllowed: 'yes' } } })).toContain(
      'plans.team.creditsAllowed must be true or false',
    );
    expect(invalid({ plans: { team: { minSeats: 0 } } })).toContain(
      'plans.team.minSeats must be an integer >= 1, got 0',
    );
    expect(invalid({ plans: { team: { minSeats: 10, maxSeats: 5 } } })).toContain(
      'plans.team.maxSeats must be an integer >= 10 or null (unlimited), got 5',
    );
    expect(invalid({ plans: { team: { prices: { month: 0 } } } })).toContain(
      'plans.team.prices.month must be an integer >= 1',
    );
    expect(invalid({ plans: { team: { prices: { month: null, year: null } } } })).toContain(
      'plans.team.prices must be a monthly or a yearly price for a paid plan',
    );
    expect(invalid({ plans: { free: { prices: { month: 100 } } } })).toContain('the free plan is free');
    expect(invalid({ plans: { team: { id: 'business' } } })).toContain('plans.team.id must be "team"');
    expect(invalid({ packs: { credits_1m: { tokens: 0 } } })).toContain(
      'packs.credits_1m.tokens must be an integer >= 1, got 0',
    );
    expect(invalid({ packs: { credits_1m: { price: -500 } } })).toContain('packs.credits_1m.price');
    expect(invalid({ packs: { credits_1m: null } })).toContain('packs.credits_1m must be an object, got null');
    expect(invalid({ packs: { credits_100m: {} } })).toContain('unknown key packs.credits_100m');
  });

  it('accepts a paid plan sold yearly only or monthly only', () => {
    const catalog = catalogFromOverride({
      plans: { team: { prices: { month: null } }, business: { prices: { year: null } } },
    });
    expect(catalog.plans.team.prices).toEqual({ month: null, year: 19_000 });
    expect(catalog.plans.business.prices).toEqual({ month: 3_900, year: null });
  });

  it('refuses sections and names of the wrong type with their exact path', () => {
    expect(invalid({ plans: 'all' })).toBe('Invalid catalog override: plans must be an object, got "all"');
    expect(invalid({ plans: { team: { prices: 7 } } })).toBe(
      'Invalid catalog override: plans.team.prices must be an object, got 7',
    );
    expect(invalid({ plans: { team: { name: 42 } } })).toBe(
      'Invalid catalog override: plans.team.name must be a non-empty string, got 42',
    );
    expect(invalid({ plans: { team: { prices: { weekly: 100 } } } })).toBe(
      'Invalid catalog override: unknown key plans.team.prices.weekly (expected one of month, year)',
    );
    expect(invalid({ plans: { team: { prices: { year: 0 } } } })).toBe(
      'Invalid catalog override: plans.team.prices.year must be an integer >= 1 or null (unlimited), got 0',
    );
    expect(invalid({ plans: { free: { prices: { month: 100 } } } })).toBe(
      'Invalid catalog override: plans.free.prices must be { "month": null, "year": null } (the free plan is free), got {"month":100,"year":null}',
    );
  });

  it('describes the bad value: nothing, a type without JSON, or JSON cut after 57 characters', () => {
    expect(invalid({ plans: { team: { name: undefined } } })).toBe(
      'Invalid catalog override: plans.team.name must be a non-empty string, got nothing',
    );
    expect(invalid({ plans: { team: { name: () => 'Team' } } })).toBe(
      'Invalid catalog override: plans.team.name must be a non-empty string, got function',
    );
    // JSON of 60 characters is shown whole; one more and it is cut to 57 plus an ellipsis.
    const sixty = 'a'.repeat(58);
    expect(invalid({ plans: { team: { minSeats: sixty } } })).toBe(
      `Invalid catalog override: plans.team.minSeats must be an integer >= 1, got "${sixty}"`,
    );
    expect(invalid({ plans: { team: { minSeats: `${sixty}b` } } })).toBe(
      `Invalid catalog override: plans.team.minSeats must be an integer >= 1, got "${'a'.repeat(56)}...`,
    );
  });

  it('reports the failing path in details for tooling', () => {
    const error = catchDomainError(
      () => catalogFromOverride({ plans: { team: { limits: { events: -1 } } } }),
      'INVALID_SETTINGS',
    );
    expect(error.details).toEqual({ path: 'plans.team.limits.events' });
    const unknownKey = catchDomainError(
      () => catalogFromOverride({ plans: { team: { tokenAllowence: 1 } } }),
      'INVALID_SETTINGS',
    );
    expect(unknownKey.details).toEqual({ path: 'plans.team.tokenAllowence' });
  });
});
