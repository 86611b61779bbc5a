import type { Transaction } from '@contox/db';
import type Stripe from 'stripe';
import type { BillingDeps } from '../deps';

/** What an event changes, run inside the transaction that records the event. */
export type Effect = (tx: Transaction) => Promise<void>;

/** Does its network reads first, then returns the database effect, so no transaction waits on Stripe. */
export type EventHandler<T extends Stripe.Event['type']> = (
  deps: BillingDeps,
  event: Extract<Stripe.Event, { type: T }>,
) => Promise<Effect>;
