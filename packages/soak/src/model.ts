import { defaultCatalog, type Metric, type Pack, type PackId, type Plan, type PlanId } from '@contox/core';
import { periodAt, type Span } from './calendar';
import type { Counts } from './counts';
import type { Card, SoakAccount } from './service';
import { type Subscription, usagePeriod } from './subscription';

export interface RechargeSettings {
  enabled: boolean;
  threshold: number;
  packId: PackId;
  spendingLimit: number;
}

export type Expected = { status: number; body?: Record<string, unknown> };

/** An answer the model predicts, with the number of charges (PaymentIntent creations) the service makes for it. */
export interface Prediction {
  expected: Expected;
  charges: number;
}

/** A purchase under one Idempotency-Key: its final answer, or `null` while the last attempt met an outage. */
interface PurchaseRecord {
  packId: PackId;
  expected: Expected | null;
  /** Stripe took the charge although the answer was lost: the retry replays it instead of charging again. */
  charged: boolean;
}

/**
 * What one account should look like, kept by plain arithmetic from the contract's rules: allowance first,
 * then credits; no partial spend; auto-recharge below the threshold and within the period's spending limit,
 * paused by a failed charge until the settings are saved; usage counted once per event id, per period; the
 * plan and the period from the account's own subscription history (calendar.ts, never the service's).
 */
export class AccountModel {
  balance = 0;
  card: Card = 'pm_card_visa';
  recharge: RechargeSettings = { enabled: false, threshold: 500_000, packId: 'credits_2_5m', spendingLimit: 5000 };
  paused = false;
  storage = 0;
  subscription: Subscription | null = null;
  /** How the last subscription ended, as the subscription view reports it once the plan is free again. */
  lastStatus: 'none' | 'canceled' = 'none';
  readonly tokensUsed = new Map<string, number>();
  readonly rechargeSpent = new Map<string, number>();
  readonly counters = new Map<string, number>();
  readonly spends = new Map<string, { amount: number; transactionId: string | null }>();
  readonly events = new Set<string>();
  readonly purchases = new Map<string, PurchaseRecord>();
  /** Plans the account has had: usage counted under a bigger plan may exceed a later, smaller one. */
  readonly plansHeld = new Set<PlanId>();

  constructor(
    readonly account: SoakAccount,
    /** The plan without a subscription: set directly for the fixed accounts, free for those that subscribe. */
    private basePlan: PlanId,
    readonly counts: Counts,
  ) {
    this.plansHeld.add(basePlan);
  }

  /** Only accounts that started free buy their plan through Stripe; the others keep the plan they were given. */
  get subscribes(): boolean {
    return this.account.subscribes;
  }

  /** Applies what time alone does: a pending cancellation ends the subscription on its date. */
  private settle(now: Date): void {
    const sub = this.subscription;
    if (sub?.cancelAt != null && now.getTime() >= sub.cancelAt) {
      this.subscription = null;
      this.basePlan = 'free';
      this.lastStatus = 'canceled';
      this.counts.add('subscriptions ended');
    }
  }

  live(now: Date): Subscription | null {
    this.settle(now);
    return this.subscription;
  }

  plan(now: Date): Plan {
    return defaultCatalog.plans[this.live(now)?.plan ?? this.basePlan];
  }

  subscribe(sub: Subscription): void {
    this.subscription = sub;
    this.plansHeld.add(sub.plan);
    // Paying at checkout saved the card, and Stripe made it the customer's default.
    this.card = 'pm_card_visa';
  }

  change(now: Date, plan: PlanId, seats: number): void {
    const sub = this.live(now);
    if (!sub) throw new Error('model: no subscription to change');
    this.subscription = { ...sub, plan, seats };
    this.plansHeld.add(plan);
  }

  span(now: Date): Span {
    const sub = this.live(now);
    return sub ? usagePeriod(sub, now.getTime()) : periodAt(this.account.createdAt.getTime(), 1, now.getTime());
  }

  period(now: Date): string {
    return new Date(this.span(now).start).toISOString();
  }

  private get(map: Map<string, number>, key: string): number {
    return map.get(key) ?? 0;
  }

  allowanceLeft(now: Date): number {
    const limit = this.plan(now).tokenAllowance;
    return limit === null ? Number.POSITIVE_INFINITY : Math.max(0, limit - this.get(this.tokensUsed, this.period(now)));
  }

  rechargeActive(now: Date): boolean {
    return this.recharge.enabled && !this.paused && this.plan(now).creditsAllowed;
  }

  /** Whether a recharge attempted now would be charged and paid: the one case whose timing a race decides. */
  rechargeCanPay(now: Date): boolean {
    const price = defaultCatalog.packs[this.recharge.packId].price;
    const spent = this.get(this.rechargeSpent, this.period(now));
    return this.rechargeActive(now) && this.card === 'pm_card_visa' && spent + price <= this.recharge.spendingLimit;
  }

  /** Adds a paid recharge of the configured pack. */
  credited(now: Date, recharges: number): void {
    const pack = defaultCatalog.packs[this.recharge.packId];
    const period = this.period(now);
    this.balance += recharges * pack.tokens;
    this.rechargeSpent.set(period, this.get(this.rechargeSpent, period) + recharges * pack.price);
    this.counts.add('recharges', recharges);
  }

  /** One auto-recharge attempt within the limit: paid, or declined and paused. Returns the charges made. */
  private tryRecharge(now: Date): number {
    const pack = defaultCatalog.packs[this.recharge.packId];
    if (this.get(this.rechargeSpent, this.period(now)) + pack.price > this.recharge.spendingLimit) return 0;
    if (this.card === 'pm_card_visa') {
      this.credited(now, 1);
      return 1;
    }
    this.paused = true;
    this.counts.add('pauses');
    if (this.card === null) return 0;
    this.counts.add('declines');
    return 1;
  }

  private fits(amount: number, now: Date): boolean {
    return amount <= this.allowanceLeft(now) + this.balance;
  }

  spend(key: string, amount: number, now: Date): Prediction {
    const prior = this.spends.get(key);
    if (prior) {
      const body = { balance: this.balance, ...(prior.transactionId ? { transactionId: prior.transactionId } : {}) };
      return { expected: prior.amount === amount ? { status: 200, body } : { status: 409 }, charges: 0 };
    }
    let charges = 0;
    if (!this.fits(amount, now)) {
      // Only a recharge that would cover the spend is charged for it.
      const rechargeTokens = defaultCatalog.packs[this.recharge.packId].tokens;
      if (!this.rechargeActive(now) || !this.fits(amount - rechargeTokens, now))
        return { expected: { status: 402 }, charges };
      charges += this.tryRecharge(now);
      if (!this.fits(amount, now)) return { expected: { status: 402 }, charges };
    }
    const fromAllowance = Math.min(amount, this.allowanceLeft(now));
    const fromCredits = amount - fromAllowance;
    this.took(now, fromAllowance, fromCredits);
    this.spends.set(key, { amount, transactionId: null });
    const expected = { status: 200, body: { balance: this.balance, fromAllowance, fromCredits } };
    if (fromCredits > 0 && this.rechargeActive(now) && this.balance < this.recharge.threshold) {
      charges += this.tryRecharge(now);
    }
    return { expected, charges };
  }

  /** A spend's effect on the allowance counter of the period and on the balance. */
  took(now: Date, fromAllowance: number, fromCredits: number): void {
    const period = this.period(now);
    this.tokensUsed.set(period, this.get(this.tokensUsed, period) + fromAllowance);
    this.balance -= fromCredits;
  }

  /** A purchase with the saved card; with a key, a retry answers what the first attempt did. */
  purchase(pack: Pack, key: string | null, now: Date): Prediction {
    const prior = key === null ? undefined : this.purchases.get(key);
    if (prior && prior.packId !== pack.id) return { expected: { status: 409 }, charges: 0 };
    if (prior?.expected) return { expected: prior.expected, charges: 0 };
    const prediction = this.charge(pack, now, prior?.charged ?? false);
    if (key !== null) this.purchases.set(key, { packId: pack.id, expected: prediction.expected, charged: false });
    return prediction;
  }

  private charge(pack: Pack, now: Date, alreadyCharged: boolean): Prediction {
    if (!this.plan(now).creditsAllowed) return { expected: { status: 403 }, charges: 0 };
    if (this.card === null) return { expected: { status: 409 }, charges: 0 };
    if (this.card !== 'pm_card_visa') {
      if (!alreadyCharged) this.counts.add('declines');
      return { expected: { status: 402 }, charges: 1 };
    }
    if (!alreadyCharged) this.balance += pack.tokens;
    return { expected: { status: 200, body: { balance: this.balance, purchased: pack.tokens } }, charges: 1 };
  }

  /**
   * A keyed purchase whose every attempt met a Stripe outage: `429` and `500` never reached the charge;
   * a lost answer (`timeout`) did, and the payment's webhook settles it. The key stays open for a retry.
   */
  purchaseOutage(pack: Pack, key: string, kind: 'timeout' | '500' | '429'): Expected {
    const charged = kind === 'timeout';
    if (charged) {
      if (this.card === 'pm_card_visa') this.balance += pack.tokens;
      else this.counts.add('declines');
    }
    this.purchases.set(key, { packId: pack.id, expected: null, charged });
    return { status: kind === '429' ? 429 : 503 };
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
    const limit = this.plan(now).limits[event.metric];
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
