import { isDeepStrictEqual } from 'node:util';
import type { DatabaseHandle, Executor } from '@contox/db';
import { findLastEventData } from '../../store/outbox';
import { readSubscription } from '../subscriptions/read-subscription';
import { emitEvents } from './emit-event';

/**
 * After a subscription sync, in its transaction (which holds the account's lock): `subscription.updated` with the
 * subscription as GET /api/billing/subscription shows it, when it differs from the last one sent (Stripe reports
 * one change in several events), and `subscription.past_due` when it has just become past due.
 */
export async function emitSubscriptionChange(tx: Executor, accountId: string, now: Date): Promise<void> {
  const view = await readSubscription({ database: { db: tx } as unknown as DatabaseHandle }, accountId);
  const last = await findLastEventData(tx, accountId, 'subscription.updated');
  if (last !== null && isDeepStrictEqual(last, JSON.parse(JSON.stringify(view)))) return;
  const wasPastDue = (last as { status?: string } | null)?.status === 'past_due';
  await emitEvents(
    tx,
    [
      { accountId, type: 'subscription.updated', data: view },
      ...(view.status === 'past_due' && !wasPastDue
        ? [{ accountId, type: 'subscription.past_due' as const, data: view }]
        : []),
    ],
    now,
  );
}
