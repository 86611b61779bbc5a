import type { BillingDeps } from '../../deps';
import { findAccountPlan } from '../../store/accounts';
import { findLatestSubscription, findLiveSubscription } from '../../store/subscriptions';
import { apiTime } from '../../time';

/** The account's plan and subscription as the API shows them. */
export interface SubscriptionView {
  plan: string;
  /** `none` for an account on the free plan without a Stripe subscription. */
  status: string;
  seats: number;
  interval: 'month' | 'year' | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: string | null;
  /** Stripe could not collect the renewal: the account keeps what is left of its paid period until it is paid. */
  pastDue: boolean;
  /** Stripe's page for paying the open invoice while one is owed. */
  payUrl: string | null;
}

export async function readSubscription(
  deps: Pick<BillingDeps, 'database'>,
  accountId: string,
): Promise<SubscriptionView> {
  const { db } = deps.database;
  const live = await findLiveSubscription(db, accountId);
  if (live) {
    return {
      plan: live.plan,
      status: live.status,
      seats: live.seats,
      interval: live.interval === 'year' ? 'year' : 'month',
      currentPeriodStart: apiTime(live.currentPeriodStart),
      currentPeriodEnd: apiTime(live.currentPeriodEnd),
      cancelAtPeriodEnd: live.cancelAtPeriodEnd,
      cancelAt: live.cancelAt ? apiTime(live.cancelAt) : null,
      pastDue: live.status === 'past_due',
      payUrl: live.payUrl,
    };
  }
  // Without a paying subscription the account is on its plan (free), showing how the last one ended if any.
  const [plan, latest] = await Promise.all([findAccountPlan(db, accountId), findLatestSubscription(db, accountId)]);
  return {
    plan: plan ?? 'free',
    status: latest?.status ?? 'none',
    seats: 1,
    interval: null,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    cancelAt: null,
    pastDue: false,
    payUrl: null,
  };
}
