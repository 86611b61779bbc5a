import { describe, expect, it } from 'vitest';
import { decideSpends, type PriorSpend, type SpendAccount, type SpendAsk } from '../src/index';

// Edge cases of the batch decision a random search seldom lands on: exact boundaries and exact answers.

const account: SpendAccount = {
  allowanceRemaining: 100,
  allowanceUsed: 0,
  balance: 1_000,
  rechargeEnabled: true,
  threshold: 500,
  rechargeTokens: 2_000,
};

const ask = (amount: number, ref = `r${amount}`, description = 'chat'): SpendAsk => ({
  accountId: 'acc',
  amount,
  description,
  ref,
});

const decide = (asks: SpendAsk[], priors = new Map<string, PriorSpend>(), a: SpendAccount = account) => {
  let n = 0;
  return decideSpends(new Map([['acc', a]]), priors, asks, () => `txn_${++n}`);
};

describe('decideSpends edges', () => {
  it('asks for a recharge naming the allowance and balance really available', () => {
    const [decision] = decide([ask(1_101)]).decisions;
    expect(decision).toMatchObject({ kind: 'recharge', error: { code: 'INSUFFICIENT_CREDITS' } });
    if (decision?.kind !== 'recharge') throw new Error('expected a recharge');
    expect(decision.error.details).toEqual({ requested: 1_101, available: 1_100 });
  });

  it('is below the threshold only strictly below it', () => {
    const [atThreshold, below] = decide([ask(600), ask(1)]).decisions;
    expect(atThreshold).toMatchObject({ kind: 'spent', fromAllowance: 100, fromCredits: 500, balance: 500 });
    expect(atThreshold).toMatchObject({ belowThreshold: false });
    expect(below).toMatchObject({ kind: 'spent', fromCredits: 1, balance: 499, belowThreshold: true });
  });

  it('refuses a repeated key whose description differs, even for the same amount', () => {
    const prior: PriorSpend = { transactionId: 'txn_old', fromAllowance: 10, fromCredits: 0, description: 'chat' };
    const [replayed, otherText] = decide(
      [ask(10, 'k', 'chat'), ask(10, 'k', 'embed')],
      new Map([['k', prior]]),
    ).decisions;
    expect(replayed).toMatchObject({ kind: 'spent', transactionId: 'txn_old', row: null });
    expect(otherText).toMatchObject({
      kind: 'refused',
      error: { code: 'IDEMPOTENCY_CONFLICT', message: 'This idempotencyKey was already used for a different spend' },
    });
  });

  it("refuses, naming the tokens metric, a spend that would take an unlimited period's counter past 2^53-1", () => {
    const unlimited = { ...account, allowanceRemaining: null, allowanceUsed: Number.MAX_SAFE_INTEGER - 10 };
    const [fits, over] = decide([ask(10), ask(1, 'one more')], new Map(), unlimited).decisions;
    expect(fits).toMatchObject({ kind: 'spent', fromAllowance: 10, fromCredits: 0 });
    expect(over).toMatchObject({
      kind: 'refused',
      error: {
        code: 'PLAN_LIMIT_REACHED',
        details: { metric: 'tokens', used: Number.MAX_SAFE_INTEGER, limit: Number.MAX_SAFE_INTEGER, requested: 1 },
      },
    });
  });

  it('refuses a spend on an account the batch did not find', () => {
    const { decisions } = decideSpends(new Map(), new Map(), [ask(1)], () => 'txn');
    expect(decisions).toEqual([
      { kind: 'refused', error: expect.objectContaining({ code: 'NOT_FOUND', message: 'Account not found' }) },
    ]);
  });
});
