import type { Executor } from '@contox/db';
import { newId } from '../../ids';
import { insertEvents } from '../../store/outbox';
import type { WebhookEventType } from './event-types';

export interface EventToEmit {
  accountId: string;
  type: WebhookEventType;
  /** The object as the API shows it. */
  data: unknown;
}

/**
 * Writes events into the outbox in the caller's transaction, so they exist exactly when the change that caused
 * them commits; the dispatcher delivers them afterwards. Each gets an id, `createdAt`, the account's next
 * `sequence` and its `externalId` when it has one. Call it last in the transaction: it takes the account's
 * sequence row, which the transaction then holds until it commits.
 */
export async function emitEvents(tx: Executor, events: EventToEmit[], now: Date): Promise<void> {
  // Account-id order: batches emitting for several accounts take their sequence rows in one order.
  const sorted = [...events].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  await insertEvents(
    tx,
    sorted.map((e) => ({
      id: newId('evt'),
      type: e.type,
      createdAt: now.toISOString(),
      accountId: e.accountId,
      data: e.data,
    })),
  );
}

/** One event; see emitEvents. */
export function emitEvent(tx: Executor, event: EventToEmit, now: Date): Promise<void> {
  return emitEvents(tx, [event], now);
}
