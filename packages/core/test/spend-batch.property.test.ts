import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideSpends, type PriorSpend, type SpendAccount, type SpendAsk, type SpendDecision } from '../src/index';

const ACCOUNTS = ['acc_a', 'acc_b', 'acc_c'];

const accountArb: fc.Arbitrary<SpendAccount> = fc.record({
  // null is an unlimited plan (enterprise): every spend comes from the allowance, never from credits.
  allowanceRemaining: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null, freq: 3 }),
  allowanceUsed: fc.integer({ min: 0, max: 5_000 }),
  balance: fc.integer({ min: 0, max: 5_000 }),
  rechargeEnabled: fc.boolean(),
  threshold: fc.integer({ min: 0, max: 3_000 }),
  rechargeTokens: fc.option(fc.integer({ min: 1, max: 4_000 }), { nil: null }),
});

const askArb: fc.Arbitrary<SpendAsk> = fc
  .record({
    accountId: fc.constantFrom(...ACCOUNTS, 'acc_missing'),
    amount: fc.oneof(fc.integer({ min: 1, max: 4_000 }), fc.constantFrom(0, -5, 1.5)),
    description: fc.constantFrom('chat', 'embed'),
    ref: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'),
  })
  .map((a) => ({ ...a, ref: `${a.accountId}:${a.ref}` }));

const ids = () => {
  let n = 0;
  return () => `txn_${++n}`;
};

/** One spend at a time, written from the rules themselves (not from the core's functions). */
function oneByOne(accounts: Map<string, SpendAccount>, asks: SpendAsk[]) {
  const state = new Map([...accounts].map(([id, a]) => [id, { ...a }]));
  const done = new Map<string, { fromAllowance: number; fromCredits: number; description: string }>();
  return asks.map((ask) => {
    const a = state.get(ask.accountId);
    if (!a) return 'refused:NOT_FOUND';
    const prior = done.get(ask.ref);
    if (prior) {
      const same = prior.fromAllowance + prior.fromCredits === ask.amount && prior.description === ask.description;
      return same ? `replay:${prior.fromAllowance}/${prior.fromCredits}@${a.balance}` : 'refused:IDEMPOTENCY_CONFLICT';
    }
    if (!Number.isSafeInteger(ask.amount) || ask.amount <= 0) return 'refused:INVALID_INPUT';
    const fromAllowance = a.allowanceRemaining === null ? ask.amount : Math.min(ask.amount, a.allowanceRemaining);
    const fromCredits = ask.amount - fromAllowance;
    if (fromCredits > a.balance) {
      const recharge = a.rechargeTokens !== null && fromCredits <= a.balance + a.rechargeTokens;
      return recharge ? 'recharge:INSUFFICIENT_CREDITS' : 'refused:INSUFFICIENT_CREDITS';
    }
    if (a.allowanceRemaining !== null) a.allowanceRemaining -= fromAllowance;
    a.balance -= fromCredits;
    done.set(ask.ref, { fromAllowance, fromCredits, description: ask.description });
    const below = fromCredits > 0 && a.rechargeEnabled && a.balance < a.threshold;
    return `spent:${fromAllowance}/${fromCredits}@${a.balance}${below ? '!' : ''}`;
  });
}

function summary(d: SpendDecision): string {
  if (d.kind !== 'spent') return `${d.kind}:${d.error.code}`;
  const head = d.row === null ? 'replay' : 'spent';
  return `${head}:${d.fromAllowance}/${d.fromCredits}@${d.balance}${d.belowThreshold ? '!' : ''}`;
}

const accountsArb = fc
  .tuple(accountArb, accountArb, accountArb)
  .map((list) => new Map(list.map((a, i) => [ACCOUNTS[i]!, a])));

describe('decideSpends (the spend batch decision)', () => {
  it('decides a batch exactly as spending one by one would, unlimited plans included', () => {
    fc.assert(
      fc.property(accountsArb, fc.array(askArb, { maxLength: 40 }), (accounts, asks) => {
        const { decisions } = decideSpends(accounts, new Map(), asks, ids());
        expect(decisions.map(summary)).toEqual(oneByOne(accounts, asks));
      }),
      { numRuns: 400 },
    );
  });

  it('splitting a batch in two gives the same answers as running it whole', () => {
    fc.assert(
      fc.property(accountsArb, fc.array(askArb, { maxLength: 30 }), fc.nat(30), (accounts, asks, cut) => {
        const whole = decideSpends(accounts, new Map(), asks, ids());
        const first = decideSpends(accounts, new Map(), asks.slice(0, cut), ids());
        const carried = new Map(
          [...accounts].map(([id, a]) => {
            const done = first.after.get(id);
            if (!done) return [id, a];
            const left = a.allowanceRemaining === null ? null : a.allowanceRemaining - done.allowanceSpent;
            return [id, { ...a, balance: done.balance, allowanceRemaining: left }];
          }),
        );
        const priors = new Map<string, PriorSpend>();
        for (const d of first.decisions) {
          if (d.kind === 'spent' && d.row) priors.set(d.row.ref, { ...d, description: d.row.description });
        }
        const second = decideSpends(carried, priors, asks.slice(cut), ids());
        const joined = [...first.decisions, ...second.decisions].map(summary);
        expect(joined).toEqual(whole.decisions.map(summary));
      }),
      { numRuns: 300 },
    );
  });

  it('never takes credits on an unlimited plan and never leaves a balance below zero', () => {
    fc.assert(
      fc.property(accountsArb, fc.array(askArb, { maxLength: 40 }), (accounts, asks) => {
        const { decisions, after } = decideSpends(accounts, new Map(), asks, ids());
        for (const [i, d] of decisions.entries()) {
          const account = accounts.get(asks[i]!.accountId);
          if (d.kind === 'spent' && account?.allowanceRemaining === null) expect(d.fromCredits).toBe(0);
        }
        for (const [id, a] of after) {
          expect(a.balance).toBeGreaterThanOrEqual(0);
          const limit = accounts.get(id)!.allowanceRemaining;
          if (limit !== null) expect(a.allowanceSpent).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a spend that would take an unlimited counter past the exact integer range, and only that one', () => {
    const near = Number.MAX_SAFE_INTEGER - 10;
    const accounts = new Map([
      ['acc_a', { ...baseAccount, allowanceRemaining: null, allowanceUsed: near }],
      ['acc_b', { ...baseAccount, allowanceRemaining: null }],
    ]);
    const asks = [
      { accountId: 'acc_a', amount: 10, description: 'chat', ref: 'acc_a:1' },
      { accountId: 'acc_a', amount: 1, description: 'chat', ref: 'acc_a:2' },
      { accountId: 'acc_b', amount: Number.MAX_SAFE_INTEGER, description: 'chat', ref: 'acc_b:1' },
    ];
    const { decisions, after } = decideSpends(accounts, new Map(), asks, ids());
    expect(decisions.map(summary)).toEqual([
      'spent:10/0@0',
      'refused:PLAN_LIMIT_REACHED',
      'spent:9007199254740991/0@0',
    ]);
    expect(after.get('acc_a')).toEqual({ balance: 0, allowanceSpent: 10 });
  });

  it('answers a repeated ref in the same batch with the first spend, not a second charge', () => {
    const accounts = new Map([['acc_a', { ...baseAccount, balance: 100 }]]);
    const ask = { accountId: 'acc_a', amount: 30, description: 'chat', ref: 'acc_a:k' };
    const { decisions, after } = decideSpends(accounts, new Map(), [ask, ask], ids());
    expect(decisions.map(summary)).toEqual(['spent:0/30@70', 'replay:0/30@70']);
    expect(decisions[1]).toMatchObject({ transactionId: 'txn_1', row: null });
    expect(after.get('acc_a')).toEqual({ balance: 70, allowanceSpent: 0 });
  });
});

const baseAccount: SpendAccount = {
  allowanceRemaining: 0,
  allowanceUsed: 0,
  balance: 0,
  rechargeEnabled: false,
  threshold: 0,
  rechargeTokens: null,
};
