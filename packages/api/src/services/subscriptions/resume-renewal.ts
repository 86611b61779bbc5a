import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { isStripeMissing } from '../../stripe/stripe-errors';
import { forgetStaleSubscription } from '../accounts/stale-stripe';
import { requireLiveSubscription } from './live-subscription';
import { syncStripeAnswer } from './sync-subscription';

export interface ResumeResult {
  status: 'active';
}

/** Undoes a pending cancellation, so the live subscription renews at the end of its period again. */
export async function resumeRenewal(
  deps: Pick<BillingDeps, 'catalog' | 'database' | 'log' | 'stripe' | 'now'>,
  accountId: string,
): Promise<ResumeResult> {
  const current = await requireLiveSubscription(deps.database.db, accountId, 'resume');
  if (!current.cancelAtPeriodEnd) {
    throw new DomainError('CONFLICT', 'The subscription is not scheduled to cancel: there is nothing to resume');
  }
  const sub = await stripeGateway(deps.stripe)
    .resume(current.stripeSubscriptionId)
    .catch((err: unknown) =>
      isStripeMissing(err)
        ? forgetStaleSubscription(deps, accountId, current.stripeSubscriptionId)
        : Promise.reject(err),
    );
  await syncStripeAnswer(deps, accountId, sub);
  return { status: 'active' };
}
