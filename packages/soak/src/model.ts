import { defaultCatalog, freePeriodAt, type Metric, type Pack, type PackId, type Plan } from '@contox/core';
import type { Card, SoakAccount } from './service';

export interface RechargeSettings {
  enabled: boolean;
  threshold: number;
  packId: PackId;
  spendingLimit: number;
}

export type Expected = { status: number; body?: Record<string, unknown> };

/**
 * What one account should look like, kept by plain arithmetic from the contract's rules: allowance first,
 * then credits; no partial spend; auto-recharge below the threshold and within the period's spending limit,
 * paused by a failed charge until the settings are saved; usage counted once per event id, per period.
 */
export class AccountModel {
  balance = 0;
  card: Card = 'pm_card_visa';
  recharge: RechargeSettings = { enabled: false, threshold: 500_000, packId: 'credits_2_5m', spendingLimit: 5000 };
  paused = false;
  storage = 0;
  readonly tokensUsed = new Map<string, number>();
  readonly rechargeSpent = new Map<string, number>();
  readonly counters = new Map<string, number>();
  readonly spends = new Map<string, { amount: number; transactionId: string | null }>();
  readonly events = new Set<string>();
  readonly purchases = new Map<string, { packId: string; expected: Expected }>();

  constructor(
    readonly account: SoakAccount,
    readonly plan: Plan,
  ) {}

  period(now: Date): string {
    return freePeriodAt(this.account.createdAt, now).start.toISOString();
  }

  private get(map: Map<string, number>, key: string): number {
    return map.get(key) ?? 0;
  }

  allowanceLeft(now: Date): number {
    const limit = this.plan.tokenAllowance;
    return limit === null ? Number.POSITIVE_INFINITY : Math.max(0, limit - this.get(this.tokensUsed, this.period(now)));
  }

  rechargeActive(): boolean {
    return this.recharge.enabled && !this.paused && this.plan.creditsAllowed;
  }

  /** One auto-recharge attempt: charged when the limit allows, and then it succeeds or pauses on the card. */
  private tryRecharge(now: Date): void {
    const pack = defaultCatalog.packs[this.recharge.packId];
    const period = this.period(now);
    if (this.get(this.rechargeSpent, period) + pack.price > this.recharge.spendingLimit) return;
    if (this.card === 'pm_card_visa') {
      this.balance += pack.tokens;
      this.rechargeSpent.set(period, this.get(this.rechargeSpent, period) + pack.price);
    } else {
      this.paused = true;
    }
  }

  private fits(amount: number, now: Date): boolean {
    return amount <= this.allowanceLeft(now) + this.balance;
  }

  spend(key: string, amount: number, now: Date): Expected {
    const prior = this.spends.get(key);
    if (prior) {
      return prior.amount === amount
        ? {
            status: 200,
            body: { balance: this.balance, ...(prior.transactionId ? { transactionId: prior.transactionId } : {}) },
          }
        : { status: 409 };
    }
    if (!this.fits(amount, now)) {
      // Only a recharge that would cover the spend is charged for it.
      const rechargeTokens = defaultCatalog.packs[this.recharge.packId].tokens;
      if (!this.rechargeActive() || !this.fits(amount - rechargeTokens, now)) return { status: 402 };
      this.tryRecharge(now);
      if (!this.fits(amount, now)) return { status: 402 };
    }
    const fromAllowance = Math.min(amount, this.allowanceLeft(now));
    const fromCredits = amount - fromAllowance;
    const period = this.period(now);
    this.tokensUsed.set(period, this.get(this.tokensUsed, period) + fromAllowance);
    this.balance -= fromCredits;
    this.spends.set(key, { amount, transactionId: null });
    const answer = { status: 200, body: { balance: this.balance, fromAllowance, fromCredits } };
    if (fromCredits > 0 && this.rechargeActive() && this.balance < this.recharge.threshold) this.tryRecharge(now);
    return answer;
  }

  purchase(pack: Pack, idempotencyKey: string | null): Expected {
    if (idempotencyKey) {
      const prior = this.purchases.get(idempotencyKey);
      if (prior) return prior.packId === pack.id ? prior.expected : { status: 409 };
    }
    let expected: Expected;
    if (!this.plan.creditsAllowed) expected = { status: 403 };
    else if (this.card === null) expected = { status: 409 };
    else if (this.card !== 'pm_card_visa') expected = { status: 402 };
    else {
      this.balance += pack.tokens;
      expected = { status: 200, body: { balance: this.balance, purchased: pack.tokens } };
    }
    if (idempotencyKey) this.purchases.set(idempotencyKey, { packId: pack.id, expected });
    return expected;
  }

  configure(settings: RechargeSettings): void {
    this.recharge = settings;
    this.paused = false;
  }

  counter(metric: Metric, now: Date): number {
    return metric === 'storage' ? this.storage : this.get(this.counters, `${this.period(now)}|${metric}`);
  }

  /** One usage event: its status and the counter after it, as `POST /usage/events` reports per event. */
  usage(event: { id: string; metric: Metric; quantity: number }, now: Date): Record<string, unknown> {
    const limit = this.plan.limits[event.metric];
    if (this.events.has(event.id)) return { id: event.id, status: 'duplicate' };
    const used = this.counter(event.metric, now);
    const next = used + event.quantity;
    if (event.quantity > 0 && limit !== null && next > limit) return { id: event.id, status: 'refused', used, limit };
    const after = Math.max(0, next);
    if (event.metric === 'storage') this.storage = after;
    else this.counters.set(`${this.period(now)}|${event.metric}`, after);
    this.events.add(event.id);
    return { id: event.id, status: 'accepted', used: after, limit };
  }
}
