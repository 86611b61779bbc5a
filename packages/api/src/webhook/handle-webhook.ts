import type { IncomingMessage, ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import type { BillingDeps } from '../deps';
import { BodyError, readRawBody } from '../http/read-body';
import { sendError, sendJson } from '../http/respond';
import { isEventRecorded, recordEvent } from '../store/stripe-events';
import { type EventHandler, eventHandlers } from './events';
import { verifyStripeEvent, WebhookRejected } from './verify-event';

function handlerFor(event: Stripe.Event): EventHandler<Stripe.Event['type']> | undefined {
  return eventHandlers[event.type] as EventHandler<Stripe.Event['type']> | undefined;
}

/** Records the event and applies its effect in one transaction: both happen exactly once, or neither. */
async function applyOnce(deps: BillingDeps, event: Stripe.Event): Promise<'applied' | 'duplicate'> {
  const { db } = deps.database;
  const handler = handlerFor(event);
  if (!handler) return 'applied';
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
 * `POST /api/billing/webhook`. A 400 tells Stripe the delivery is not ours to process; a 500 rolls
 * everything back and makes Stripe deliver again, and that retry applies the event once.
 */
export async function handleStripeWebhook(deps: BillingDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return sendError(res, 405, 'Use POST for Stripe webhooks');
  const secret = deps.config.STRIPE_WEBHOOK_SECRET;
  if (!secret) return sendError(res, 500, 'Webhooks are not configured: set STRIPE_WEBHOOK_SECRET');
  let event: Stripe.Event;
  try {
    const raw = await readRawBody(req);
    const signature = req.headers['stripe-signature'];
    event = verifyStripeEvent(deps.stripe, raw, Array.isArray(signature) ? signature[0] : signature, secret);
  } catch (err) {
    if (err instanceof BodyError) return sendError(res, err.status, err.message);
    if (err instanceof WebhookRejected) return sendError(res, 400, err.message);
    throw err;
  }
  try {
    const outcome = await applyOnce(deps, event);
    sendJson(res, 200, { received: true, ...(outcome === 'duplicate' ? { duplicate: true } : {}) });
  } catch (err) {
    deps.log.error('webhook failed', { eventId: event.id, type: event.type, error: String(err) });
    sendError(res, 500, 'The event could not be applied; Stripe will deliver it again');
  }
}
