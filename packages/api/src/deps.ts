import type { Catalog } from '@contox/core';
import type { DatabaseHandle } from '@contox/db';
import type Stripe from 'stripe';
import type { Config } from './config';
import type { Logger } from './logger';

export interface TestClock {
  /** Moves time forward by whole seconds, running what falls due on the way; resolves with the new time. */
  advance(seconds: number): Promise<Date>;
}

/** Everything a request needs from the outside world, built once at start and passed down. */
export interface BillingDeps {
  database: DatabaseHandle;
  catalog: Catalog;
  stripe: Stripe;
  config: Pick<
    Config,
    | 'ALLOWED_REDIRECT_ORIGINS'
    | 'RATE_LIMIT_PER_MINUTE'
    | 'STRIPE_WEBHOOK_SECRET'
    | 'METRICS_TOKEN'
    | 'TRUST_PROXY'
    | 'BILLING_ADMIN_TOKEN'
  > & {
    appUrl: string;
  };
  now: () => Date;
  /** The operators' test clock, present only with the Stripe emulator: it moves `now` and the emulator's time together. */
  testClock?: TestClock | undefined;
  log: Logger;
}
