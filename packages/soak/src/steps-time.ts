import { expectMatch } from './check';
import { deliverSubscriptionEvents } from './faults';
import type { AccountModel } from './model';
import { now, type World } from './world';

const DAY_S = 86_400;

/**
 * Moves both clocks by whole days. Every anchor (account creation, checkout) sits a few wall-clock seconds
 * after a whole number of days of moves, so whole-day moves can never leave the clock a moment before a
 * period boundary, where the model's "now" and the service's could fall on either side of it.
 */
export async function advanceDays(w: World, days: number): Promise<void> {
  const since = await w.service.emulator.control.now();
  const owner = w.accounts[0]?.account.key;
  if (owner) {
    // As an operator would: the test clock moves the service and Stripe together.
    const moved = await w.service.call('POST', '/api/dev/clock/advance', owner, { seconds: days * DAY_S });
    expectMatch('test clock', moved.status, 200);
  } else {
    await w.service.advance(days * DAY_S);
  }
  // Renewals and cancellations that fell due were emitted on the way; the service must have them all.
  await deliverSubscriptionEvents(w, since);
  w.counts.add('days moved', days);
}

export async function rollover(w: World): Promise<string> {
  const days = w.random.int(1, 40);
  await advanceDays(w, days);
  return `clock +${days} days`;
}

/** Moves the clock just past the end of the account's current usage period, into the next one. */
export async function nextPeriod(w: World, a: AccountModel): Promise<string> {
  const t = now(w).getTime();
  const days = Math.ceil((a.span(now(w)).end - t) / (DAY_S * 1000));
  await advanceDays(w, days);
  w.counts.add('period boundaries crossed on purpose');
  return `clock +${days} days, into the next period of ${a.account.accountId}`;
}

export async function webhookFault(w: World): Promise<string> {
  const r = w.random;
  const n = r.int(1, 4);
  const fault = r.pick(['duplicate', 'reorder', 'drop', 'delay'] as const);
  const c = w.service.emulator.control;
  if (fault === 'duplicate') await c.duplicateNext(n);
  else if (fault === 'reorder') await c.reorderNext(n);
  else if (fault === 'drop') await c.dropNext(n);
  else await c.delayNext(n, r.int(10, 300));
  w.counts.add(`webhook faults (${fault})`, n);
  return `webhooks: ${fault} next ${n}`;
}

export async function redeliver(w: World): Promise<string> {
  const events = await w.service.admin.events.list({ limit: 30 });
  if (events.data.length === 0) return 'redeliver: no events yet';
  const event = w.random.pick(events.data);
  await w.service.emulator.control.redeliver(event.id);
  return `redeliver ${event.type}`;
}
