import type Stripe from 'stripe';
import type { BillingDeps } from '../deps';
import { webhookEvents } from '../metrics';
import { isEventRecorded, recordEvent } from '../store/stripe-events';
import { type EventHandler, eventHandlers } from './events';
import { z } from 'zod';
import { whyUnstorable } from './storable';
import { verifyStripeEvent, WebhookRejected } from './verify-event';

// What every event must carry before anything is looked up or recorded: a signed body can still be any JSON.
const envelope = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  // Up to the last second of year 9999: a Date and a Postgres timestamp both hold it.
  created: z.number().int().nonnegative().max(253_402_300_799),
});

/** A signed body that is not an event (no id, type or creation time) is not ours to process: a 400, no 500. */
function requireEnvelope(event: unknown): Stripe.Event {
  const parsed = envelope.safeParse(event);
  if (!parsed.success) throw new WebhookRejected('Not a Stripe event: it needs an id, a type and a created time');
  const unstorable = whyUnstorable(event);
  if (unstorable) throw new WebhookRejected(`Not a Stripe event: ${unstorable}`);
  return event as Stripe.Event;
}

/** STRIPE_WEBHOOK_SECRET is unset, so no delivery can be verified. */
export class WebhookNotConfigured extends Error {
  constructor() {
    super('Webhooks are not configured: set STRIPE_WEBHOOK_SECRET');
  }
}

/** A verified event whose effect failed; nothing of it was kept, so Stripe's next delivery applies it. */
export class EventNotApplied extends Error {
  constructor(
    readonly event: Pick<Stripe.Event, 'id' | 'type'>,
    cause: unknown,
  ) {
    super('The event could not be applied; Stripe will deliver it again', { cause });
  }
}

export type EventOutcome = 'applied' | 'duplicate' | 'ignored';

function handlerFor(event: Stripe.Event): EventHandler<Stripe.Event['type']> | undefined {
  // Own keys only: a type such as "constructor" must not find a member of Object.prototype.
  if (!Object.hasOwn(eventHandlers, event.type)) return undefined;
  return eventHandlers[event.type] as EventHandler<Stripe.Event['type']> | undefined;
}

/** Records the event and applies its effect in one transaction: both happen exactly once, or neither. */
async function applyOnce(deps: BillingDeps, event: Stripe.Event): Promise<EventOutcome> {
  const { db } = deps.database;
  const handler = handlerFor(event);
  if (!handler) return 'ignored';
  if (await isEventRecorded(db, event.id)) return 'duplicate';
  const effect = await handler(deps, event);
  return db.transaction(async (tx) => {
    const recorded = await recordEvent(tx, {
      id: event.id,
      type: event.type,
      created: new Date(event.created * 1000),
      payload: event,
    });
    if (!recorded) return 'duplicate';
    await effect(tx);
    return 'applied';
  });
}

/**
 * One delivery from Stripe: the exact bytes received and their `Stripe-Signature` header. Throws
 * WebhookNotConfigured, WebhookRejected (not ours to process) or EventNotApplied (everything rolled back).
 */
export async function receiveStripeEvent(
  deps: BillingDeps,
  raw: Buffer,
  signature: string | undefined,
): Promise<EventOutcome> {
  const secret = deps.config.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new WebhookNotConfigured();
  let event: Stripe.Event;
  try {
    event = requireEnvelope(verifyStripeEvent(deps.stripe, raw, signature, secret));
  } catch (err) {
    webhookEvents.inc({ type: 'unverified', outcome: 'rejected' });
    throw err;
  }
  // Only the types the service handles name a series: any other signed type counts as `other`.
  const type = handlerFor(event) ? event.type : 'other';
  try {
    const outcome = await applyOnce(deps, event);
    webhookEvents.inc({ type, outcome });
    deps.log.debug('webhook event', { eventId: event.id, type: event.type, outcome });
    return outcome;
  } catch (err) {
    webhookEvents.inc({ type, outcome: 'failed' });
    throw new EventNotApplied(event, err);
  }
}
