import { DomainError } from '@contox/core';
import type { Executor } from '@contox/db';
import { findLiveSubscription, type SubscriptionRow } from '../../store/subscriptions';

export async function requireLiveSubscription(
  db: Executor,
  accountId: string,
  action: string,
): Promise<SubscriptionRow> {
  const row = await findLiveSubscription(db, accountId);
  if (!row) throw new DomainError('CONFLICT', `There is no active subscription to ${action}`);
  return row;
}
