import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { ClockAdvanced } from '../../services/dev/advance-clock';
import { integer } from '../limits';

/** Up to about two years in one step: far enough for any renewal or retry schedule, small enough to stay fast. */
export const MAX_CLOCK_STEP_SECONDS = 800 * 86_400;

export const advanceClockMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/dev/clock/advance',
    tags: ['dev'],
    summary:
      'Test clock (Stripe emulator only): moves the service and the emulator forward together, running the renewals, payment retries and period rollovers that fall due; answers once their webhooks were handled. 404 with real Stripe',
    protect: true,
    errorResponses: { 403: 'Not the account owner', 404: 'Real Stripe is configured: there is no test clock' },
  },
  examples: { input: { seconds: 2678400 }, output: { now: '2026-02-15T10:00:00.000Z' } },
};

export const advanceClockInput = z.object({ seconds: integer(1, MAX_CLOCK_STEP_SECONDS) });

export const advanceClockOutput = z.object({ now: z.string() }) satisfies z.ZodType<ClockAdvanced>;
