import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { isStripeMissing } from '../../stripe/stripe-errors';
import { forgetStaleSubscription } from '../accounts/stale-stripe';
import { apiTime } from '../../time';
import { requireLiveSubscription } from './live-subscription';
import { syncStripeAnswer } from './sync-subscription';

export interface CancelResult {
  status: 'cancelled';
  cancelAt: string;
}

/** Asks Stripe to end the live subscription at the end of its period; asking again changes nothing. */
export async function cancelAtPeriodEnd(
  deps: Pick<BillingDeps, 'catalog' | 'database' | 'log' | 'stripe' | 'now'>,
  accountId: string,
): Promise<CancelResult> {
  const current = await requireLiveSubscription(deps.database.db, accountId, 'cancel');
  const sub = await stripeGateway(deps.stripe)
    .cancelAtPeriodEnd(current.stripeSubscriptionId)
    .catch((err: unknown) =>
      isStripeMissing(err)
        ? forgetStaleSubscription(deps, accountId, current.stripeSubscriptionId)
        : Promise.reject(err),
    );
  await syncStripeAnswer(deps, accountId, sub);
  const periodEnd = sub.items.data[0]?.current_period_end ?? current.currentPeriodEnd.getTime() / 1000;
  return { status: 'cancelled', cancelAt: apiTime(new Date((sub.cancel_at ?? periodEnd) * 1000)) };
}
