import { z } from 'zod';
import { ignored, noEffect } from './ignored';
import type { EventHandler } from './index';
import { resyncSubscription } from './resync-subscription';

const ref = z.union([z.string(), z.object({ id: z.string() })]);
const InvoiceEvent = z.object({
  data: z.object({
    object: z.object({
      parent: z.object({ subscription_details: z.object({ subscription: ref.nullish() }).nullish() }).nullish(),
    }),
  }),
});

/** A renewal paid (new period) or failed (past_due) shows on the subscription the invoice belongs to. */
export const onInvoiceSettled: EventHandler<'invoice.paid' | 'invoice.payment_failed'> = async (deps, event) => {
  const parsed = InvoiceEvent.safeParse(event);
  if (!parsed.success) return ignored(deps, event, 'no invoice in the payload');
  const sub = parsed.data.data.object.parent?.subscription_details?.subscription;
  // An invoice of no subscription (a one-off) changes no plan.
  if (!sub) return noEffect;
  return resyncSubscription(deps, event, typeof sub === 'string' ? sub : sub.id);
};
