import fc from 'fast-check';
import { expect } from 'vitest';
import {
  type AutoRechargeSettings,
  type Catalog,
  PACK_IDS,
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
  planSpend,
  validateAutoRechargeSettings,
} from '../src/index';

export const DAY = 86_400_000;

const NO_RECHARGE = { recharge: false, reason: 'disabled' } as const;

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
export class ModelLedger {
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
    // Periods are told apart by their start, in UTC.
    return currentPeriod({
      plan: this.plan,
      accountCreatedAt: this.createdAt,
      subscription: this.subscriptionPeriod && {
        anchor: this.subscriptionPeriod.start,
        paidThrough: this.subscriptionPeriod.end,
      },
      now: this.now,
    }).start.toISOString();
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
    };
  }

  private afterBalanceChange(): void {
    const period = this.period();
    // One recharge at a time, as the service's unique index on in-flight recharges enforces.
    if (this.pending) return;
    const decision = decideAutoRecharge({ ...this.context(period), balance: this.balance });
    if (decision.recharge) this.pending = { pack: decision.pack, period };
  }

  spend(amount: number): { fromCredits: number; recharged: boolean } {
    const period = this.period();
    const shortfall = this.pending ? NO_RECHARGE : decideShortfallRecharge(this.context(period));
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

export type Op =
  | { kind: 'spend'; amount: number }
  | { kind: 'spendAll' }
  | { kind: 'purchase'; packId: PackId }
  | { kind: 'settle'; succeeded: boolean }
  | { kind: 'advance'; ms: number };

export const op: fc.Arbitrary<Op> = fc.oneof(
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

export const settingsArb = fc
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

export function expectInvariants(ledger: ModelLedger): void {
  expect(ledger.balance).toBeGreaterThanOrEqual(0);
  expect(ledger.balance).toBe(ledger.transactions.reduce((sum, t) => sum + t.amount, 0));
  const allowance = ledger.plan.tokenAllowance;
  for (const used of ledger.allowanceUsed.values()) {
    if (allowance !== null) expect(used).toBeLessThanOrEqual(allowance);
  }
  const periods = new Set([...ledger.rechargedByPeriod.keys(), ledger.pending?.period ?? '']);
  for (const period of periods) expect(ledger.charged(period)).toBeLessThanOrEqual(ledger.settings.spendingLimit);
  if (!ledger.plan.creditsAllowed) expect(ledger.transactions.every((t) => t.type === 'usage')).toBe(true);
  // An unlimited allowance pays for every spend: credits bought on such a plan are never touched.
  if (allowance === null) expect(ledger.transactions.filter((t) => t.type === 'usage')).toEqual([]);
}
