import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { apiTime } from '../../time';

export interface ClockAdvanced {
  now: string;
}

/**
 * Moves the billing clock and the Stripe emulator's clock forward together: renewals, retries, cancellations
 * and usage periods fall due as they would in that much time. Only the emulator has a clock to move: with real
 * Stripe the endpoint is not there.
 */
export async function advanceTestClock(deps: Pick<BillingDeps, 'testClock'>, seconds: number): Promise<ClockAdvanced> {
  if (!deps.testClock) {
    throw new DomainError(
      'NOT_FOUND',
      'No test clock: it runs only with the Stripe emulator, and this server uses Stripe',
    );
  }
  return { now: apiTime(await deps.testClock.advance(seconds)) };
}
