import type { Catalog } from '@contox/core';
import type { DatabaseHandle } from '@contox/db';
import type Stripe from 'stripe';
import type { Config } from './config';
import type { Logger } from './logger';

/** Everything a request needs from the outside world, built once at start and passed down. */
export interface BillingDeps {
  database: DatabaseHandle;
  catalog: Catalog;
  stripe: Stripe;
  config: Pick<
    Config,
    'ALLOWED_REDIRECT_ORIGINS' | 'RATE_LIMIT_PER_MINUTE' | 'STRIPE_WEBHOOK_SECRET' | 'METRICS_TOKEN' | 'TRUST_PROXY'
  > & {
    appUrl: string;
  };
  now: () => Date;
  log: Logger;
}
