import { schema } from '@contox/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { EventHandler } from '../event-handler';
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
    const [account] = await tx
      .select({ customerId: schema.accounts.stripeCustomerId })
      .from(schema.accounts)
      .where(eq(schema.accounts.id, accountId));
    if (!account) {
      deps.log.warn('checkout completed for an unknown account', { eventId: event.id, accountId });
      return;
    }
    if (customerId && account.customerId === null) {
      await tx
        .update(schema.accounts)
        .set({ stripeCustomerId: customerId })
        .where(and(eq(schema.accounts.id, accountId), isNull(schema.accounts.stripeCustomerId)));
    }
    await applySubscription(tx);
  };
};
