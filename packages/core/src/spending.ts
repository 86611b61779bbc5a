import { insufficientCredits } from './errors';
import { requireNonNegativeInteger, requirePositiveInteger } from './integers';

export interface SpendSplit {
  fromAllowance: number;
  fromCredits: number;
}

function requireAllowance(allowanceRemaining: number | null): number | null {
  return allowanceRemaining === null ? null : requireNonNegativeInteger(allowanceRemaining, 'allowanceRemaining');
}

function split(amount: number, allowanceRemaining: number | null, balance: number): SpendSplit | null {
  const fromAllowance = allowanceRemaining === null ? amount : Math.min(amount, allowanceRemaining);
  const fromCredits = amount - fromAllowance;
  return fromCredits <= balance ? { fromAllowance, fromCredits } : null;
}

/**
 * Plan allowance first, then credits. There is no overage and no partial spend: the work either is paid
 * for in full now or is refused. When the spend only fits once an auto-recharge of `rechargeTokens` has
 * landed, the caller is told so, to charge first and spend after, instead of refusing.
 */
export function planSpend(args: {
  amount: number;
  allowanceRemaining: number | null;
  balance: number;
  rechargeTokens: number | null;
}): { kind: 'spend'; split: SpendSplit } | { kind: 'recharge_first'; split: SpendSplit } {
  const amount = requirePositiveInteger(args.amount, 'amount');
  const allowance = requireAllowance(args.allowanceRemaining);
  const balance = requireNonNegativeInteger(args.balance, 'balance');
  const rechargeTokens =
    args.rechargeTokens === null ? null : requirePositiveInteger(args.rechargeTokens, 'rechargeTokens');

  const now = split(amount, allowance, balance);
  if (now !== null) return { kind: 'spend', split: now };
  const afterRecharge = rechargeTokens === null ? null : split(amount, allowance, balance + rechargeTokens);
  if (afterRecharge !== null) return { kind: 'recharge_first', split: afterRecharge };
  throw insufficientCredits(amount, (allowance ?? 0) + balance);
}
