import { Mismatch } from './check';
import { webhooksIdle, type World } from './world';

export type ChargeFault = '500' | 'timeout' | '429';

/** Faults are aimed at charges only: the service's other Stripe calls, and the soak's, pass untouched. */
const CHARGES = '/v1/payment_intents';
/** A lost answer is held this long before the connection drops: long enough to be lost, short for the run. */
const HOLD_MS = 10;
/**
 * The service's Stripe client retries twice, as production's does: up to two faults in a row are absorbed
 * by the retries (a lost answer is replayed under the same idempotency key); three are an outage.
 */
export const ABSORBED = 2;
export const OUTAGE = ABSORBED + 1;

/** The next `n` charges fail with `kind`. */
export async function failCharges(w: World, n: number, kind: ChargeFault): Promise<void> {
  await w.service.emulator.control.failNext(n, kind, HOLD_MS, CHARGES);
  w.counts.add(`stripe faults (${kind})`, n);
}

/**
 * Fails the step when a fault meant for a charge is still queued, i.e. the service made fewer charges than
 * the model said. The probe is a plain read under the same path, sent without a client that would retry.
 */
export async function expectFaultsConsumed(w: World): Promise<void> {
  const status = await fetch(`${w.service.emulator.url}${CHARGES}?limit=1`, {
    headers: { authorization: 'Bearer sk_test_soak_probe' },
  }).then(
    async (res) => {
      await res.arrayBuffer();
      return res.status;
    },
    () => 'connection dropped',
  );
  if (status !== 200) {
    throw new Mismatch(`a charge fault was never used (probe: ${status}): fewer charges than the model expected`);
  }
}

const SUBSCRIPTION_EVENT = /^(checkout\.session\.completed|customer\.subscription\.|invoice\.(paid|payment_failed)$)/;

/**
 * Every subscription event Stripe emitted since `since` (unix seconds) reached the service. An event the
 * webhook faults dropped or still hold is sent again, as Stripe keeps retrying until the endpoint takes it:
 * the soak checks plans and periods against Stripe's, which the service only learns from these events.
 */
export async function deliverSubscriptionEvents(w: World, since: number): Promise<void> {
  const control = w.service.emulator.control;
  await webhooksIdle(w);
  const delivered = new Set(
    (await control.deliveries())
      .filter((d) => d.status !== null && d.status >= 200 && d.status < 300)
      .map((d) => d.eventId),
  );
  const missing: string[] = [];
  for await (const event of w.service.admin.events.list({ created: { gte: since }, limit: 100 })) {
    if (SUBSCRIPTION_EVENT.test(event.type) && !delivered.has(event.id)) missing.push(event.id);
  }
  // Listed newest first; sent again oldest first, as they were emitted.
  for (const id of missing.reverse()) await control.redeliver(id);
  if (missing.length > 0) {
    w.counts.add('subscription events sent again', missing.length);
    await webhooksIdle(w);
  }
}
