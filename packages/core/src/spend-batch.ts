import { DomainError, insufficientCredits, isDomainError, planLimitReached } from './errors';
import { planSpend } from './spending';

/** What the decision needs to know of one account, read under its balance lock. */
export interface SpendAccount {
  /** Tokens of the plan allowance left this period before the batch; `null` = unlimited. */
  allowanceRemaining: number | null;
  /** Tokens the period's counter holds before the batch (it grows without bound on an unlimited plan). */
  allowanceUsed: number;
  balance: number;
  /** Auto-recharge is on and not paused. */
  rechargeEnabled: boolean;
  threshold: number;
  /** Tokens one auto-recharge would add, when auto-recharge is on and its pack exists. */
  rechargeTokens: number | null;
}

export interface SpendAsk {
  accountId: string;
  amount: number;
  description: string;
  /** Unique per account and idempotency key: a second spend with it is a replay. */
  ref: string;
}

/** A spend already in the ledger under the same ref. */
export interface PriorSpend {
  transactionId: string;
  fromAllowance: number;
  fromCredits: number;
  description: string | null;
}

export type SpendDecision =
  | {
      kind: 'spent';
      transactionId: string;
      fromAllowance: number;
      fromCredits: number;
      balance: number;
      /** A new spend that left the balance below an enabled auto-recharge threshold. */
      belowThreshold: boolean;
      /** The ledger row to write; `null` for a replay, which has no effect of its own. */
      row: { accountId: string; ref: string; description: string } | null;
    }
  | { kind: 'recharge'; error: DomainError }
  | { kind: 'refused'; error: DomainError };

export interface AccountAfter {
  balance: number;
  allowanceSpent: number;
}

function replay(prior: PriorSpend, ask: SpendAsk, balance: number): SpendDecision {
  if (prior.fromAllowance + prior.fromCredits !== ask.amount || prior.description !== ask.description) {
    const message = 'This idempotencyKey was already used for a different spend';
    return { kind: 'refused', error: new DomainError('IDEMPOTENCY_CONFLICT', message) };
  }
  // A replay has no effect of its own, an auto-recharge included: the next spend below the threshold starts one.
  const { transactionId, fromAllowance, fromCredits } = prior;
  return { kind: 'spent', transactionId, fromAllowance, fromCredits, balance, belowThreshold: false, row: null };
}

type Decided =
  | { kind: 'split'; fromAllowance: number; fromCredits: number }
  | { kind: 'recharge' | 'refused'; error: DomainError };

/** The most a period's token counter may hold: beyond it, JSON numbers stop being exact integers. */
export const MAX_PERIOD_TOKENS = Number.MAX_SAFE_INTEGER;

function decideOne(account: SpendAccount, spentAllowance: number, ask: SpendAsk): Decided {
  const allowance = account.allowanceRemaining === null ? null : account.allowanceRemaining - spentAllowance;
  const used = account.allowanceUsed + spentAllowance;
  if (Number.isSafeInteger(ask.amount) && ask.amount > MAX_PERIOD_TOKENS - used) {
    // Only an unlimited plan gets here: its counter would leave the exact integer range.
    return { kind: 'refused', error: planLimitReached('tokens', used, MAX_PERIOD_TOKENS, ask.amount) };
  }
  try {
    const planned = planSpend({
      amount: ask.amount,
      allowanceRemaining: allowance,
      balance: account.balance,
      rechargeTokens: account.rechargeTokens,
    });
    if (planned.kind === 'spend') return { kind: 'split', ...planned.split };
    return { kind: 'recharge', error: insufficientCredits(ask.amount, (allowance ?? 0) + account.balance) };
  } catch (err) {
    // Not even one recharge would cover it (or the input is out of range): refused without charging anything.
    if (isDomainError(err)) return { kind: 'refused', error: err };
    throw err;
  }
}

/**
 * Decides a batch of spends in arrival order with exactly the outcomes they would have one by one: plan
 * allowance first, then credits, an auto-recharge asked for when only one would cover the spend, and a repeated
 * ref answered as a replay of its first spend. The inputs are not changed: `after` holds, for each account that
 * spent, its balance and the allowance this batch used, to be written back in the same transaction.
 */
export function decideSpends(
  accounts: ReadonlyMap<string, SpendAccount>,
  priors: ReadonlyMap<string, PriorSpend>,
  asks: readonly SpendAsk[],
  newTransactionId: () => string,
): { decisions: SpendDecision[]; after: Map<string, AccountAfter> } {
  const after = new Map<string, AccountAfter>();
  const seen = new Map(priors);
  const decisions = asks.map((ask): SpendDecision => {
    const account = accounts.get(ask.accountId);
    if (!account) return { kind: 'refused', error: new DomainError('NOT_FOUND', 'Account not found') };
    const state = after.get(ask.accountId) ?? { balance: account.balance, allowanceSpent: 0 };
    const prior = seen.get(ask.ref);
    if (prior) return replay(prior, ask, state.balance);
    const decided = decideOne({ ...account, balance: state.balance }, state.allowanceSpent, ask);
    if (decided.kind !== 'split') return decided;
    const { fromAllowance, fromCredits } = decided;
    const next = {
      balance: state.balance - fromCredits,
      allowanceSpent: state.allowanceSpent + fromAllowance,
    };
    after.set(ask.accountId, next);
    const transactionId = newTransactionId();
    seen.set(ask.ref, { transactionId, fromAllowance, fromCredits, description: ask.description });
    return {
      kind: 'spent',
      transactionId,
      fromAllowance,
      fromCredits,
      balance: next.balance,
      belowThreshold: fromCredits > 0 && account.rechargeEnabled && next.balance < account.threshold,
      row: { accountId: ask.accountId, ref: ask.ref, description: ask.description },
    };
  });
  return { decisions, after };
}
