import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AutoRechargeSettings,
  type Catalog,
  PACK_IDS,
  PLAN_IDS,
  type Pack,
  type PackId,
  type Period,
  type Plan,
  allowanceRemaining,
  creditsNotAllowed,
  currentPeriod,
  decideAutoRecharge,
  decideShortfallRecharge,
  defaultCatalog,
  getPack,
  getPlan,
  isDomainError,
  isPaidPlan,
  periodKey,
  planSpend,
  validateAutoRechargeSettings,
} from '../src/index';

const DAY = 86_400_000;

interface Txn {
  type: 'purchase' | 'auto_recharge' | 'usage';
  amount: number;
  price: number;
  period: string;
}

interface PendingRecharge {
  pack: Pack;
  period: string;
}

/**
 * The smallest ledger a billing service could build from the core: it only stores what happened and asks
 * the exported functions every question. Auto-recharges after a spend are asynchronous (pending until settled);
 * a recharge needed to cover a spend is charged synchronously before it.
 */
class ModelLedger {
  readonly transactions: Txn[] = [];
  readonly allowanceUsed = new Map<string, number>();
  readonly rechargedByPeriod = new Map<string, number>();
  balance = 0;
  pending: PendingRecharge | null = null;

  constructor(
    readonly catalog: Catalog,
    readonly plan: Plan,
    readonly settings: AutoRechargeSettings,
    readonly createdAt: Date,
    readonly subscriptionPeriod: Period | null,
    public now: Date,
  ) {}

  period(): string {
    return periodKey(
      currentPeriod({
        plan: this.plan,
        accountCreatedAt: this.createdAt,
        subscriptionPeriod: this.subscriptionPeriod,
        now: this.now,
      }),
    );
  }

  /** Succeeded plus in-flight auto-recharge charges of a period: what the spending limit caps. */
  charged(period: string): number {
    const inFlight = this.pending?.period === period ? this.pending.pack.price : 0;
    return (this.rechargedByPeriod.get(period) ?? 0) + inFlight;
  }

  allowanceLeft(): number | null {
    return allowanceRemaining(this.plan, this.allowanceUsed.get(this.period()) ?? 0);
  }

  private credit(type: Txn['type'], pack: Pack, period: string): void {
    this.transactions.push({ type, amount: pack.tokens, price: pack.price, period });
    this.balance += pack.tokens;
    if (type === 'auto_recharge')
      this.rechargedByPeriod.set(period, (this.rechargedByPeriod.get(period) ?? 0) + pack.price);
  }

  private context(period: string) {
    return {
      settings: this.settings,
      plan: this.plan,
      catalog: this.catalog,
      chargedThisPeriod: this.charged(period),
      inFlight: this.pending !== null,
    };
  }

  private afterBalanceChange(): void {
    const period = this.period();
    const decision = decideAutoRecharge({ ...this.context(period), balance: this.balance });
    if (decision.recharge) this.pending = { pack: decision.pack, period };
  }

  spend(amount: number): { fromCredits: number; recharged: boolean } {
    const period = this.period();
    const shortfall = decideShortfallRecharge(this.context(period));
    const planned = planSpend({
      amount,
      allowanceRemaining: this.allowanceLeft(),
      balance: this.balance,
      rechargeTokens: shortfall.recharge ? shortfall.pack.tokens : null,
    });
    if (planned.kind === 'recharge_first') {
      if (!shortfall.recharge) throw new Error('planSpend asked for a recharge that was not offered');
      this.credit('auto_recharge', shortfall.pack, period);
    }
    const { fromAllowance, fromCredits } = planned.split;
    this.allowanceUsed.set(period, (this.allowanceUsed.get(period) ?? 0) + fromAllowance);
    if (fromCredits > 0) {
      this.transactions.push({ type: 'usage', amount: -fromCredits, price: 0, period });
      this.balance -= fromCredits;
    }
    this.afterBalanceChange();
    return { fromCredits, recharged: planned.kind === 'recharge_first' };
  }

  purchase(packId: PackId): void {
    if (!this.plan.creditsAllowed) throw creditsNotAllowed(this.plan.id);
    this.credit('purchase', getPack(this.catalog, packId), this.period());
    this.afterBalanceChange();
  }

  settle(succeeded: boolean): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    if (succeeded) this.credit('auto_recharge', pending.pack, pending.period);
    this.afterBalanceChange();
  }

  snapshot(): string {
    return JSON.stringify({
      t: this.transactions,
      b: this.balance,
      a: [...this.allowanceUsed],
      r: [...this.rechargedByPeriod],
      p: this.pending,
    });
  }
}

type Op =
  | { kind: 'spend'; amount: number }
  | { kind: 'spendAll' }
  | { kind: 'purchase'; packId: PackId }
  | { kind: 'settle'; succeeded: boolean }
  | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('spend' as const), amount: fc.integer({ min: 1, max: 4_000_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'spendAll' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('purchase' as const), packId: fc.constantFrom(...PACK_IDS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('settle' as const), succeeded: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 45 * DAY }) }),
  },
);

const settingsArb = fc
  .record({
    enabled: fc.boolean(),
    threshold: fc.integer({ min: 0, max: 3_000_000 }),
    packId: fc.constantFrom(...PACK_IDS),
    spendingLimit: fc.integer({ min: 0, max: 15_000 }),
  })
  .map((raw) => {
    const fits = raw.spendingLimit >= defaultCatalog.packs[raw.packId].price;
    return validateAutoRechargeSettings({ ...raw, enabled: raw.enabled && fits }, defaultCatalog);
  });

const scenario = fc.record({
  planId: fc.constantFrom(...PLAN_IDS),
  settings: settingsArb,
  createdAt: fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) }),
  yearlySubscription: fc.boolean(),
  ops: fc.array(op, { minLength: 1, maxLength: 60 }),
});

function expectInvariants(ledger: ModelLedger): void {
  expect(ledger.balance).toBeGreaterThanOrEqual(0);
  expect(ledger.balance).toBe(ledger.transactions.reduce((sum, t) => sum + t.amount, 0));
  const allowance = ledger.plan.tokenAllowance;
  for (const used of ledger.allowanceUsed.values()) {
    if (allowance !== null) expect(used).toBeLessThanOrEqual(allowance);
  }
  const periods = new Set([...ledger.rechargedByPeriod.keys(), ledger.pending?.period ?? '']);
  for (const period of periods) expect(ledger.charged(period)).toBeLessThanOrEqual(ledger.settings.spendingLimit);
  if (!ledger.plan.creditsAllowed) expect(ledger.transactions.every((t) => t.type === 'usage')).toBe(true);
}

describe('model ledger built only from the core', () => {
  it('property: balance never negative and equal to its transactions; allowance and spending limit never exceeded; credits never expire', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenario, ({ planId, settings, createdAt, yearlySubscription, ops }) => {
        const plan = getPlan(defaultCatalog, planId);
        const start = new Date(createdAt);
        const subscriptionPeriod =
          yearlySubscription && isPaidPlan(plan) ? { start, end: new Date(createdAt + 365 * DAY) } : null;
        const ledger = new ModelLedger(defaultCatalog, plan, settings, start, subscriptionPeriod, start);
        const firstPeriod = ledger.period();

        for (const step of ops) {
          const before = ledger.snapshot();
          const balanceBefore = ledger.balance;
          try {
            switch (step.kind) {
              case 'spend':
                if (ledger.spend(step.amount).recharged) seen.add('recharge_first');
                break;
              case 'spendAll': {
                const left = ledger.allowanceLeft();
                if (left === null || left + ledger.balance === 0) break;
                // Everything bought in earlier periods is still spendable, without any recharge.
                const result = ledger.spend(left + balanceBefore);
                expect(result).toEqual({ fromCredits: balanceBefore, recharged: false });
                break;
              }
              case 'purchase':
                ledger.purchase(step.packId);
                expect(ledger.balance).toBe(balanceBefore + defaultCatalog.packs[step.packId].tokens);
                break;
              case 'settle':
                ledger.settle(step.succeeded);
                break;
              case 'advance':
                ledger.now = new Date(ledger.now.getTime() + step.ms);
                expect(ledger.balance).toBe(balanceBefore);
                break;
            }
          } catch (error) {
            if (!isDomainError(error)) throw error;
            expect(['INSUFFICIENT_CREDITS', 'CREDITS_NOT_ALLOWED']).toContain(error.code);
            seen.add(error.code);
            // A refused operation leaves no trace: no partial spend, no charge.
            expect(ledger.snapshot()).toBe(before);
          }
          expectInvariants(ledger);
        }
        if (ledger.transactions.some((t) => t.type === 'auto_recharge')) seen.add('auto_recharge');
        if (ledger.period() !== firstPeriod && ledger.balance > 0) seen.add('credits_carried_over');
        if (
          [...ledger.rechargedByPeriod.values()].some(
            (c) => c + ledger.catalog.packs[settings.packId].price > settings.spendingLimit,
          )
        ) {
          seen.add('limit_reached');
        }
      }),
      { numRuns: 300 },
    );
    // Guards against a vacuous property: the interesting paths were really exercised.
    expect([...seen].sort()).toEqual([
      'CREDITS_NOT_ALLOWED',
      'INSUFFICIENT_CREDITS',
      'auto_recharge',
      'credits_carried_over',
      'limit_reached',
      'recharge_first',
    ]);
  });

  it('property: a spend is refused only when allowance, balance and any permitted recharge together fall short', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PLAN_IDS),
        settingsArb,
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 1, max: 30_000_000 }),
        (planId, settings, used, balance, amount) => {
          const plan = getPlan(defaultCatalog, planId);
          const shortfall = decideShortfallRecharge({
            settings,
            plan,
            catalog: defaultCatalog,
            chargedThisPeriod: 0,
            inFlight: false,
          });
          const left = allowanceRemaining(plan, used);
          const recharge = shortfall.recharge ? shortfall.pack.tokens : null;
          let refused = false;
          try {
            planSpend({ amount, allowanceRemaining: left, balance, rechargeTokens: recharge });
          } catch (error) {
            expect(isDomainError(error) && error.code).toBe('INSUFFICIENT_CREDITS');
            refused = true;
          }
          const capacity = left === null ? Number.POSITIVE_INFINITY : left + balance + (recharge ?? 0);
          expect(refused).toBe(capacity < amount);
        },
      ),
    );
  });
});
