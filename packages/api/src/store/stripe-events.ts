import { type Executor, schema } from '@contox/db';
import { eq } from 'drizzle-orm';

const e = schema.stripeEvents;

export async function isEventRecorded(db: Executor, eventId: string): Promise<boolean> {
  const [row] = await db.select({ id: e.id }).from(e).where(eq(e.id, eventId));
  return row !== undefined;
}

/**
 * Records a Stripe event once; false when it was recorded before. Concurrent deliveries of one event queue
 * on its key: only the first inserts, the others see the conflict once the first commits.
 */
export async function recordEvent(
  tx: Executor,
  event: { id: string; type: string; created: Date; payload: unknown },
): Promise<boolean> {
  const [recorded] = await tx
    .insert(e)
    .values({ id: event.id, type: event.type, stripeCreated: event.created, payload: event.payload })
    .onConflictDoNothing()
    .returning({ id: e.id });
  return recorded !== undefined;
}
