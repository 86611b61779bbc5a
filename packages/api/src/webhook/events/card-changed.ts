import type Stripe from 'stripe';
import { z } from 'zod';
import type { BillingDeps } from '../../deps';
import { findAccountIdByCustomer } from '../../store/accounts';
import { findAutoRechargeSettings, liftPauseForCard } from '../../store/payments';
import { creditCheckoutGateway } from '../../stripe/credit-checkout';
import { ignored, noEffect } from './ignored';
import type { Effect, EventHandler } from './index';

const ObjectRef = z.object({ data: z.object({ object: z.object({ id: z.string() }) }) });

/**
 * A customer's cards changed: an auto-recharge paused by a failed charge resumes once the card the next charge
 * would use, as Stripe has it now (never as the event says), is another than the one that failed.
 */
async function resumeRecharge(deps: BillingDeps, event: Stripe.Event, customerId: string): Promise<Effect> {
  const { db } = deps.database;
  const accountId = await findAccountIdByCustomer(db, customerId);
  if (!accountId) return noEffect;
  // Stripe is asked only when there is a pause to lift; the effect checks again under its transaction.
  if (!(await findAutoRechargeSettings(db, accountId))?.pausedPaymentId) return noEffect;
  const card = await creditCheckoutGateway(deps.stripe).chargeableCard(customerId);
  if (!card) return noEffect;
  return async (tx) => {
    if (await liftPauseForCard(tx, accountId, card)) {
      deps.log.info('auto-recharge resumed: new card', { accountId, eventId: event.id, type: event.type });
    }
  };
}

/** `customer.updated`, e.g. a new default card set in the billing portal. */
export const onCustomerUpdated: EventHandler<'customer.updated'> = async (deps, event) => {
  const parsed = ObjectRef.safeParse(event);
  if (!parsed.success) return ignored(deps, event, 'no customer in the payload');
  return resumeRecharge(deps, event, parsed.data.data.object.id);
};

/** `payment_method.attached`: the customer it belongs to is read from Stripe, not from the payload. */
export const onPaymentMethodAttached: EventHandler<'payment_method.attached'> = async (deps, event) => {
  const parsed = ObjectRef.safeParse(event);
  if (!parsed.success) return ignored(deps, event, 'no payment method in the payload');
  const customerId = await creditCheckoutGateway(deps.stripe).ownerOfPaymentMethod(parsed.data.data.object.id);
  return customerId ? resumeRecharge(deps, event, customerId) : noEffect;
};
