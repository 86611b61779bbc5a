import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { requireLiveSubscription } from './live-subscription';
import { syncStripeAnswer } from './sync-subscription';

export interface ResumeResult {
  status: 'active';
}

/** Undoes a pending cancellation, so the live subscription renews at the end of its period again. */
export async function resumeRenewal(
  deps: Pick<BillingDeps, 'database' | 'stripe' | 'now'>,
  accountId: string,
): Promise<ResumeResult> {
  const current = await requireLiveSubscription(deps.database.db, accountId, 'resume');
  if (!current.cancelAtPeriodEnd) {
    throw new DomainError('CONFLICT', 'The subscription is not scheduled to cancel: there is nothing to resume');
  }
  const sub = await stripeGateway(deps.stripe).resume(current.stripeSubscriptionId);
  await syncStripeAnswer(deps, accountId, sub);
  return { status: 'active' };
}
