import { accountExists, claimStripeCustomerId } from '../../store/accounts';
import type { EventHandler } from './index';
import { resyncSubscription } from './resync-subscription';

const idOf = (ref: string | { id: string } | null): string | null =>
  ref === null ? null : typeof ref === 'string' ? ref : ref.id;

/** Our subscription checkouts name the account; completing one links its customer and starts the plan. */
export const onCheckoutCompleted: EventHandler<'checkout.session.completed'> = async (deps, event) => {
  const session = event.data.object;
  const accountId = session.client_reference_id ?? session.metadata?.accountId ?? null;
  const subscriptionId = idOf(session.subscription);
  const customerId = idOf(session.customer);
  if (session.mode !== 'subscription' || !accountId || !subscriptionId) return async () => {};
  const applySubscription = await resyncSubscription(deps, event, subscriptionId, accountId);
  return async (tx) => {
    if (!(await accountExists(tx, accountId))) {
      deps.log.warn('checkout completed for an unknown account', { eventId: event.id, accountId });
      return;
    }
    // An account that has a customer keeps it: the claim only fills an empty one.
    if (customerId) await claimStripeCustomerId(tx, accountId, customerId);
    await applySubscription(tx);
  };
};
