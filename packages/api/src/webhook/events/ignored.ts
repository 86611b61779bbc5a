import type Stripe from 'stripe';
import type { BillingDeps } from '../../deps';
import type { Effect } from './index';

/** The effect of an event that changes nothing. */
export const noEffect: Effect = async () => {};

/** Logs why an event changed nothing, for whoever looks into it. */
export function logIgnored(deps: BillingDeps, event: Stripe.Event, reason: string, extra: object = {}): void {
  deps.log.warn('webhook event ignored', { eventId: event.id, type: event.type, reason, ...extra });
}

/**
 * An event this service cannot act on (a payload without what it names, an object Stripe does not have): it is
 * acknowledged, since delivering it again would change nothing, and logged.
 */
export function ignored(deps: BillingDeps, event: Stripe.Event, reason: string, extra: object = {}): Effect {
  logIgnored(deps, event, reason, extra);
  return noEffect;
}
