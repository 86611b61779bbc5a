import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PLAN_IDS,
  allowanceRemaining,
  decideShortfallRecharge,
  defaultCatalog,
  getPlan,
  isDomainError,
  isPaidPlan,
  planSpend,
} from '../src/index';
import { DAY, ModelLedger, expectInvariants, op, settingsArb } from './model-ledger';

const scenario = fc.record({
  planId: fc.constantFrom(...PLAN_IDS),
  settings: settingsArb,
  createdAt: fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) }),
  yearlySubscription: fc.boolean(),
  ops: fc.array(op, { minLength: 1, maxLength: 60 }),
});

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
                if (left === null) {
                  // Unlimited: more than every credit held is still paid by the allowance alone.
                  expect(ledger.spend(balanceBefore + 1)).toEqual({ fromCredits: 0, recharged: false });
                  if (balanceBefore > 0) seen.add('unlimited_beyond_credits');
                  break;
                }
                if (left + ledger.balance === 0) break;
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
      'unlimited_beyond_credits',
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
