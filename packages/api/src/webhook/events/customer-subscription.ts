import type { EventHandler } from './index';
import { resyncSubscription } from './resync-subscription';

type SubscriptionEvent =
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted';

/** Created, updated and deleted all mean the same to us: take the subscription's current state. */
export const onSubscriptionChanged: EventHandler<SubscriptionEvent> = (deps, event) =>
  resyncSubscription(deps, event, event.data.object.id);
