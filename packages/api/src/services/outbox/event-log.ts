import { DomainError } from '@contox/core';
import type { Database } from '@contox/db';
import { scheduleRedelivery } from '../../store/outbox';
import { listDeliveries, listEvents, type StoredAttempt, type StoredDelivery } from '../../store/webhook-endpoints';
import { apiTime } from '../../time';

export interface AttemptView {
  attempt: number;
  attemptedAt: string;
  /** The endpoint's HTTP status; null when no answer came. */
  statusCode: number | null;
  /** The start of the answer, or why there was none. */
  excerpt: string;
  durationMs: number;
  nextAttemptAt: string | null;
}

export interface DeliveryView {
  endpointId: string;
  status: StoredDelivery['status'];
  attempts: AttemptView[];
  /** When the next attempt is due, while pending. */
  nextAttemptAt: string | null;
}

export interface EventLogEntry {
  id: string;
  type: string;
  accountId: string;
  sequence: number;
  createdAt: string;
  /** The body as delivered. */
  payload: Record<string, unknown>;
  deliveries: DeliveryView[];
}

const attemptView = (a: StoredAttempt): AttemptView => ({
  attempt: a.attempt,
  attemptedAt: apiTime(a.attemptedAt),
  statusCode: a.statusCode,
  excerpt: a.excerpt,
  durationMs: a.durationMs,
  nextAttemptAt: a.nextAttemptAt ? apiTime(a.nextAttemptAt) : null,
});

/** The event log, newest first: each event with its delivery to every endpoint and every attempt's answer. */
export async function readEventLog(
  db: Database,
  filter: { accountId?: string | undefined; type?: string | undefined; limit: number },
): Promise<{ events: EventLogEntry[] }> {
  const events = await listEvents(db, {
    limit: filter.limit,
    ...(filter.accountId !== undefined ? { accountId: filter.accountId } : {}),
    ...(filter.type !== undefined ? { type: filter.type } : {}),
  });
  const { deliveries, attempts } = await listDeliveries(db, events);
  const deliveriesOf = (eventId: string): DeliveryView[] =>
    deliveries
      .filter((d) => d.eventId === eventId)
      .map((d) => ({
        endpointId: d.endpointId,
        status: d.status,
        attempts: attempts.filter((a) => a.eventId === eventId && a.endpointId === d.endpointId).map(attemptView),
        nextAttemptAt: d.status === 'pending' ? apiTime(d.nextAttemptAt) : null,
      }));
  return {
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      accountId: e.accountId,
      sequence: e.sequence,
      createdAt: apiTime(e.createdAt),
      payload: (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as Record<string, unknown>,
      deliveries: deliveriesOf(e.id),
    })),
  };
}

/** Sends an event again to every endpoint that wants it now (see scheduleRedelivery). */
export async function redeliverEvent(db: Database, id: string): Promise<{ id: string; redelivering: true }> {
  if (!(await scheduleRedelivery(db, id))) throw new DomainError('NOT_FOUND', `No event ${id}`, { id });
  return { id, redelivering: true };
}
