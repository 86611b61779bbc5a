import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPENDING_LIMIT,
  INTERVALS,
  METRICS,
  PACK_IDS,
  PLAN_IDS,
  catalogTable,
  defaultCatalog,
  defaultSeats,
  getPack,
  getPlan,
  isPaidPlan,
  catalogFromOverride,
  parsePriceLookupKey,
  priceLookupKey,
  validateSeats,
} from '../src/index';
import { catchDomainError } from './helpers';

describe('default catalogue', () => {
  it('has the published packs exactly', () => {
    expect(Object.values(defaultCatalog.packs)).toEqual([
      { id: 'credits_1m', tokens: 1_000_000, price: 500 },
      { id: 'credits_2_5m', tokens: 2_500_000, price: 1_000 },
      { id: 'credits_7m', tokens: 7_000_000, price: 2_500 },
      { id: 'credits_15m', tokens: 15_000_000, price: 5_000 },
    ]);
  });

  it('has the published token allowances and credit rules', () => {
    const allowances = PLAN_IDS.map((id) => [id, defaultCatalog.plans[id].tokenAllowance]);
    expect(allowances).toEqual([
      ['free', 50_000],
      ['personal', 1_000_000],
      ['team', 5_000_000],
      ['business', 20_000_000],
      ['enterprise', null],
    ]);
    for (const id of PLAN_IDS) {
      expect(defaultCatalog.plans[id].creditsAllowed).toBe(id !== 'free');
    }
  });

  it('has the published team limits', () => {
    expect(defaultCatalog.plans.team.limits).toEqual({
      sessions: 200,
      events: 10_000,
      enrichments: 100,
      storage: 536_870_912,
    });
  });

  it('keys every plan and pack by its own id', () => {
    for (const id of PLAN_IDS) expect(defaultCatalog.plans[id].id).toBe(id);
    for (const id of PACK_IDS) expect(defaultCatalog.packs[id].id).toBe(id);
    expect(METRICS).toEqual(['sessions', 'events', 'enrichments', 'storage']);
  });

  it('prices only paid plans, per seat, yearly cheaper than twelve months', () => {
    expect(defaultCatalog.plans.free.prices).toEqual({ month: null, year: null });
    for (const id of PLAN_IDS.filter((p) => p !== 'free')) {
      const { month, year } = defaultCatalog.plans[id].prices;
      expect(month).toBeGreaterThan(0);
      expect(year).toBeLessThan((month ?? 0) * 12);
    }
  });

  it('grows limits with the plan tier (null = unlimited is the top)', () => {
    const rank = (n: number | null) => (n === null ? Number.POSITIVE_INFINITY : n);
    for (let i = 1; i < PLAN_IDS.length; i++) {
      const lower = defaultCatalog.plans[PLAN_IDS[i - 1]!];
      const higher = defaultCatalog.plans[PLAN_IDS[i]!];
      expect(rank(higher.tokenAllowance)).toBeGreaterThan(rank(lower.tokenAllowance));
      for (const metric of METRICS) {
        expect(rank(higher.limits[metric])).toBeGreaterThanOrEqual(rank(lower.limits[metric]));
      }
    }
  });

  it('is frozen so shared state cannot be mutated', () => {
    expect(() => {
      (defaultCatalog.plans.team.limits as { events: number | null }).events = 1;
    }).toThrow(TypeError);
    expect(defaultCatalog.plans.team.limits.events).toBe(10_000);
  });

  it('defaults the spending limit to 50.00 EUR', () => {
    expect(DEFAULT_SPENDING_LIMIT).toBe(5000);
  });
});

describe('getPlan / getPack', () => {
  it('finds known ids', () => {
    expect(getPlan(defaultCatalog, 'business').name).toBe('Business');
    expect(getPack(defaultCatalog, 'credits_7m').tokens).toBe(7_000_000);
  });

  it('refuses unknown ids, including inherited property names', () => {
    for (const id of ['gold', '', 'toString', '__proto__', 'TEAM']) {
      expect(catchDomainError(() => getPlan(defaultCatalog, id), 'UNKNOWN_PLAN').details).toEqual({ planId: id });
    }
    for (const id of ['credits_3m', 'constructor']) {
      catchDomainError(() => getPack(defaultCatalog, id), 'UNKNOWN_PACK');
    }
  });
});

describe('isPaidPlan', () => {
  it('is false only for free', () => {
    expect(PLAN_IDS.filter((id) => isPaidPlan(defaultCatalog.plans[id]))).toEqual([
      'personal',
      'team',
      'business',
      'enterprise',
    ]);
  });

  it('is true for a plan sold for one interval only, monthly or yearly', () => {
    const catalog = catalogFromOverride({
      plans: { team: { prices: { year: null } }, business: { prices: { month: null } } },
    });
    expect(isPaidPlan(catalog.plans.team)).toBe(true);
    expect(isPaidPlan(catalog.plans.business)).toBe(true);
  });
});

describe('defaultSeats', () => {
  const { team, personal, business } = defaultCatalog.plans;

  it('keeps the seats the account has, brought within the plan range, else the fewest the plan sells', () => {
    expect(defaultSeats(team, null)).toBe(2);
    expect(defaultSeats(personal, null)).toBe(1);
    expect(defaultSeats(team, 7)).toBe(7);
    expect(defaultSeats(business, 3)).toBe(5);
    expect(defaultSeats(personal, 7)).toBe(1);
  });

  it('always gives a seat count the plan accepts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLAN_IDS), fc.option(fc.integer({ min: 1, max: 100_000 })), (planId, current) => {
        const plan = defaultCatalog.plans[planId];
        expect(validateSeats(plan, defaultSeats(plan, current))).toBe(defaultSeats(plan, current));
      }),
    );
  });
});

describe('validateSeats', () => {
  const { team, personal, enterprise } = defaultCatalog.plans;

  it('accepts whole numbers within the plan range', () => {
    expect(validateSeats(team, 2)).toBe(2);
    expect(validateSeats(team, 100)).toBe(100);
    expect(validateSeats(personal, 1)).toBe(1);
    expect(validateSeats(enterprise, 10_000)).toBe(10_000);
  });

  it('refuses out of range, fractional and non-finite seat counts', () => {
    for (const seats of [1, 101, 2.5, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = catchDomainError(() => validateSeats(team, seats), 'INVALID_SEATS');
      expect(error.details).toMatchObject({ planId: 'team', minSeats: 2, maxSeats: 100 });
    }
    catchDomainError(() => validateSeats(personal, 2), 'INVALID_SEATS');
    catchDomainError(() => validateSeats(enterprise, 9), 'INVALID_SEATS');
  });
});

describe('price lookup keys', () => {
  it('follows contox_<plan>_<monthly|yearly>', () => {
    expect(priceLookupKey('team', 'month')).toBe('contox_team_monthly');
    expect(priceLookupKey('business', 'year')).toBe('contox_business_yearly');
  });

  it('round-trips every plan and interval', () => {
    for (const planId of PLAN_IDS) {
      for (const interval of INTERVALS) {
        expect(parsePriceLookupKey(priceLookupKey(planId, interval))).toEqual({ planId, interval });
      }
    }
  });

  it('returns null for anything else', () => {
    for (const key of [
      '',
      'contox_team',
      'contox_gold_monthly',
      'contox_team_weekly',
      'xcontox_team_monthly',
      'contox_team_monthly ',
    ]) {
      expect(parsePriceLookupKey(key)).toBeNull();
    }
    fc.assert(
      fc.property(fc.string(), (key) => {
        const parsed = parsePriceLookupKey(key);
        return parsed === null || priceLookupKey(parsed.planId, parsed.interval) === key;
      }),
    );
  });
});

describe('catalogTable', () => {
  // Rendered inside each test, not when the file loads, so mutation testing sees which test covers what.
  const render = () => catalogTable(defaultCatalog);

  it('renders one row per plan and per pack with real numbers', () => {
    const lines = render().split('\n');
    expect(lines[0]).toMatch(/^\| Plan \| Monthly \/ seat \|/);
    expect(lines).toContain(
      '| Team (`team`) | 19.00 EUR | 190.00 EUR | 2-100 | 5,000,000 | yes | 200 | 10,000 | 100 | 512 MiB |',
    );
    expect(lines).toContain(
      '| Enterprise (`enterprise`) | 79.00 EUR | 790.00 EUR | 10+ | unlimited | yes | unlimited | unlimited | unlimited | unlimited |',
    );
    expect(lines).toContain('| Free (`free`) | - | - | 1 | 50,000 | no | 20 | 1,000 | 10 | 50 MiB |');
    expect(lines).toContain('| `credits_2_5m` | 2,500,000 | 10.00 EUR |');
    expect(lines).toContain('| `credits_15m` | 15,000,000 | 50.00 EUR |');
  });

  it('is a well-formed Markdown table: every row of a table has the same column count', () => {
    const [plans = '', packs = ''] = render().trim().split('\n\n');
    for (const [block, columns, rows] of [
      [plans, 10, 2 + PLAN_IDS.length],
      [packs, 3, 2 + PACK_IDS.length],
    ] as const) {
      const blockLines = block.split('\n');
      expect(blockLines).toHaveLength(rows);
      for (const line of blockLines) expect(line.split(' | ')).toHaveLength(columns);
    }
  });

  it('renders storage in the largest unit that divides it exactly, else in bytes, and seat ranges as sold', () => {
    const catalog = catalogFromOverride({
      plans: {
        free: { limits: { storage: 1_536 } },
        personal: { limits: { storage: 1024 } },
        team: { limits: { storage: 0 }, minSeats: 3, maxSeats: 3 },
        business: { limits: { storage: 1024 ** 3 + 1024 ** 2 }, maxSeats: null },
      },
    });
    const rows = catalogTable(catalog).split('\n');
    const storageOf = (name: string) => rows.find((row) => row.startsWith(`| ${name} (`))?.split(' | ');
    expect(storageOf('Free')?.at(-1)).toBe('1,536 B |');
    expect(storageOf('Personal')?.at(-1)).toBe('1 KiB |');
    expect(storageOf('Team')?.at(-1)).toBe('0 B |');
    expect(storageOf('Team')?.[3]).toBe('3');
    expect(storageOf('Business')?.at(-1)).toBe('1,025 MiB |');
    expect(storageOf('Business')?.[3]).toBe('5+');
  });
});
