import type Stripe from 'stripe';
import { z } from 'zod';
import { accountExists, claimStripeCustomerId } from '../../store/accounts';
import { stripeGateway } from '../../stripe/gateway';
import { creditCheckoutEffect } from './credit-checkout';
import { ignored, logIgnored, noEffect } from './ignored';
import type { EventHandler } from './index';
import { resyncSubscription } from './resync-subscription';

const SessionRef = z.object({ data: z.object({ object: z.object({ id: z.string(), mode: z.unknown() }) }) });

const idOf = (ref: string | { id: string } | null): string | null =>
  ref === null ? null : typeof ref === 'string' ? ref : ref.id;

/** The account our checkout was opened for: named twice, and both must agree. */
function accountOf(session: Stripe.Checkout.Session): string | null {
  const named = [session.client_reference_id, session.metadata?.accountId].filter((id): id is string => !!id);
  return named.length > 0 && named.every((id) => id === named[0]) ? named[0]! : null;
}

/**
 * Our subscription checkouts name the account; completing one links its customer and starts the plan. The
 * session is read again from Stripe: its customer, account and subscription are taken from there, never from
 * the payload.
 */
export const onCheckoutCompleted: EventHandler<'checkout.session.completed'> = async (deps, event) => {
  const parsed = SessionRef.safeParse(event);
  if (!parsed.success) return ignored(deps, event, 'no checkout session in the payload');
  const { id, mode } = parsed.data.data.object;
  // Payment checkouts buy credits; setup checkouts are not ours, and Stripe is not asked about them.
  if (mode === 'payment') return creditCheckoutEffect(deps, event, id);
  if (mode !== 'subscription') return noEffect;
  const session = await stripeGateway(deps.stripe).findCheckoutSession(id);
  const accountId = session && accountOf(session);
  // A checkout has its subscription once it was completed, and only then.
  const subscriptionId = session && idOf(session.subscription);
  if (!session || !accountId || !subscriptionId) {
    return ignored(deps, event, 'Stripe has no completed subscription checkout of an account by this id', {
      sessionId: id,
    });
  }
  const customerId = idOf(session.customer);
  const applySubscription = await resyncSubscription(deps, event, subscriptionId, accountId);
  return async (tx) => {
    if (!(await accountExists(tx, accountId))) return logIgnored(deps, event, 'unknown account', { accountId });
    // An account that has a customer keeps it: the claim only fills an empty one.
    if (customerId) await claimStripeCustomerId(tx, accountId, customerId);
    await applySubscription(tx);
  };
};
