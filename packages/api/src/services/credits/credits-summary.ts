import { allowanceRemaining } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { findStripeCustomerId } from '../../store/accounts';
import { readBalance } from '../../store/ledger';
import { type SavedCard, stripeGateway } from '../../stripe/gateway';
import { isStripeMissing } from '../../stripe/stripe-errors';
import { apiTime } from '../../time';
import { billingState } from '../accounts/billing-state';
import { readCounters } from '../usage/read-usage';
import { readRechargeContext } from './auto-recharge-run';
import { type AutoRechargeView, readAutoRecharge } from './read-credits';

export interface CreditsSummary {
  balance: number;
  period: { start: string; end: string };
  /** Tokens of the plan allowance this period; null limit and remaining mean unlimited. */
  allowance: { limit: number | null; used: number; remaining: number | null };
  autoRecharge: AutoRechargeView;
  /** Euro cents charged for auto-recharges this period (succeeded and in flight). */
  autoRechargeSpent: number;
  lastRechargeFailure: { at: string; message: string } | null;
  hasPaymentMethod: boolean;
  /** The card a purchase or recharge charges, so the dashboard can name it before anyone confirms. */
  card: SavedCard | null;
}

async function paymentMethod(
  deps: Pick<BillingDeps, 'stripe'>,
  customerId: string | null,
): Promise<Pick<CreditsSummary, 'hasPaymentMethod' | 'card'>> {
  // A customer Stripe no longer has holds no card; the next checkout, portal or purchase replaces it.
  const saved = customerId
    ? await stripeGateway(deps.stripe)
        .savedPaymentMethod(customerId)
        .catch((err: unknown) => (isStripeMissing(err) ? null : Promise.reject(err)))
    : null;
  return { hasPaymentMethod: saved !== null, card: saved?.card ?? null };
}

/** The balance beside what the period left of the allowance, and how auto-recharge has fared in it. */
export async function readCreditsSummary(deps: BillingDeps, accountId: string): Promise<CreditsSummary> {
  const { db } = deps.database;
  const state = await billingState(db, deps.catalog, accountId, deps.now());
  const [balance, autoRecharge, counters, recharge, customerId] = await Promise.all([
    readBalance(db, accountId),
    readAutoRecharge(db, accountId),
    readCounters(db, accountId, state.period.start),
    readRechargeContext(db, accountId, state.period.start),
    findStripeCustomerId(db, accountId),
  ]);
  return {
    balance,
    period: { start: apiTime(state.period.start), end: apiTime(state.period.end) },
    allowance: {
      limit: state.plan.tokenAllowance,
      used: counters.tokens,
      remaining: allowanceRemaining(state.plan, counters.tokens),
    },
    autoRecharge,
    autoRechargeSpent: recharge.chargedThisPeriod,
    lastRechargeFailure: recharge.pausedBy
      ? { at: apiTime(recharge.pausedBy.at), message: recharge.pausedBy.message }
      : null,
    ...(await paymentMethod(deps, customerId)),
  };
}
