import type { EventHandler } from './index';
import { resyncSubscription } from './resync-subscription';

/** A renewal paid (new period) or failed (past_due) shows on the subscription the invoice belongs to. */
export const onInvoiceSettled: EventHandler<'invoice.paid' | 'invoice.payment_failed'> = async (deps, event) => {
  const ref = event.data.object.parent?.subscription_details?.subscription;
  const subscriptionId = typeof ref === 'string' ? ref : ref?.id;
  if (!subscriptionId) return async () => {};
  return resyncSubscription(deps, event, subscriptionId);
};
