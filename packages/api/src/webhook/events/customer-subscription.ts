import { z } from 'zod';
import { ignored } from './ignored';
import type { EventHandler } from './index';
import { resyncSubscription } from './resync-subscription';

type SubscriptionEvent =
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted';

const SubscriptionRef = z.object({ data: z.object({ object: z.object({ id: z.string() }) }) });

/** Created, updated and deleted all mean the same to us: take the subscription's current state. */
export const onSubscriptionChanged: EventHandler<SubscriptionEvent> = async (deps, event) => {
  const parsed = SubscriptionRef.safeParse(event);
  if (!parsed.success) return ignored(deps, event, 'no subscription in the payload');
  return resyncSubscription(deps, event, parsed.data.data.object.id);
};
