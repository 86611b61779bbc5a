import { randomBytes } from 'node:crypto';
import { DomainError, invalidInput } from '@contox/core';
import type { Database } from '@contox/db';
import { newId } from '../../ids';
import { deleteEndpoint, insertEndpoint, listEndpoints, type StoredEndpoint } from '../../store/webhook-endpoints';
import { isSubscribable, WEBHOOK_EVENT_TYPES } from './event-types';
import { isWebUrl } from './post-webhook';

/** An endpoint as the operator API shows it; the secret only in the answer that created it. */
export interface EndpointView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

export const endpointView = (e: StoredEndpoint): EndpointView => ({
  id: e.id,
  url: e.url,
  events: e.events,
  createdAt: e.createdAt.toISOString(),
});

/**
 * Adds an endpoint for these event types (`*` for all) and makes its signing secret, returned this once.
 * Only http(s) URLs: anything else could never be delivered.
 */
export async function createEndpoint(
  db: Database,
  input: { url: string; events: string[] },
  now: Date,
): Promise<EndpointView & { secret: string }> {
  if (!isWebUrl(input.url)) throw invalidInput('url must be an http:// or https:// URL', { url: input.url });
  const unknown = input.events.filter((e) => !isSubscribable(e));
  if (unknown.length > 0 || input.events.length === 0) {
    throw invalidInput(`events must name event types (${WEBHOOK_EVENT_TYPES.join(', ')}) or "*"`, { unknown });
  }
  const row = {
    id: newId('we'),
    url: input.url,
    events: [...new Set(input.events)],
    secret: `whsec_${randomBytes(24).toString('base64url')}`,
    createdAt: now,
  };
  await insertEndpoint(db, row);
  return { ...endpointView({ ...row, deletedAt: null }), secret: row.secret };
}

export async function listWebhookEndpoints(db: Database): Promise<EndpointView[]> {
  return (await listEndpoints(db)).map(endpointView);
}

/** Deletes an endpoint: nothing more is sent to it, its pending deliveries are cancelled, its history kept. */
export async function removeEndpoint(db: Database, id: string, now: Date): Promise<void> {
  const deleted = await db.transaction((tx) => deleteEndpoint(tx, id, now));
  if (!deleted) throw new DomainError('NOT_FOUND', `No webhook endpoint ${id}`, { id });
}
