import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BillingDeps } from '../deps';
import { EventNotApplied, receiveStripeEvent, WebhookNotConfigured } from '../webhook/receive-event';
import { WebhookRejected } from '../webhook/verify-event';
import { BodyError, readBody } from './read-body';
import { sendError, sendJson } from './respond';

/**
 * What Stripe is told: a 400 means the delivery is not ours to process, a 500 makes Stripe deliver it again
 * (an event that failed to apply is logged first). Anything else is not a webhook matter and is rethrown.
 */
function statusOf(deps: BillingDeps, err: unknown): number {
  if (err instanceof BodyError) return err.status;
  if (err instanceof WebhookRejected) return 400;
  if (err instanceof WebhookNotConfigured) return 500;
  if (err instanceof EventNotApplied) {
    deps.log.error('webhook failed', { eventId: err.event.id, type: err.event.type, error: String(err.cause) });
    return 500;
  }
  throw err;
}

/** `POST /api/billing/webhook`: the exact bytes and their signature go to the webhook layer. */
export async function serveStripeWebhook(deps: BillingDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendError(res, 405, 'Use POST for Stripe webhooks');
  }
  try {
    const raw = await readBody(req);
    const signature = req.headers['stripe-signature'];
    const outcome = await receiveStripeEvent(deps, raw, Array.isArray(signature) ? signature[0] : signature);
    sendJson(res, 200, { received: true, ...(outcome === 'duplicate' ? { duplicate: true } : {}) });
  } catch (err) {
    sendError(res, statusOf(deps, err), (err as Error).message);
  }
}
