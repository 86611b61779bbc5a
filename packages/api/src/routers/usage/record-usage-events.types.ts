import { MAX_EVENT_ID_LENGTH, MAX_USAGE_EVENTS_PER_CALL, MAX_USAGE_QUANTITY } from '@contox/core';
import { z } from 'zod';
import { integer, text } from '../limits';
import type { BillingMeta } from '../contract-meta';

export const recordUsageEventsMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/usage/events',
    tags: ['usage'],
    summary:
      'Record up to 1,000 usage events; each id counts once forever. Per event: accepted, duplicate, or refused (limit reached, with used and limit), and the `refused` count. When every event is refused, 402 plan_limit_reached with the same `results` and `refused` beside `error`.',
    protect: true,
  },
  // Every event refused: 402 with the per-event `results` and the `refused` count beside `error` and `code`.
  errors: ['plan_limit_reached'],
  examples: {
    input: {
      events: [
        { id: 'evt_01HQ7', metric: 'sessions', quantity: 1 },
        { id: 'evt_01HQ8', metric: 'events', quantity: 25 },
      ],
    },
    output: {
      results: [
        { id: 'evt_01HQ7', status: 'accepted' },
        { id: 'evt_01HQ8', status: 'accepted' },
      ],
      refused: 0,
    },
  },
};

export const recordUsageEventsInput = z.object({
  events: z
    .array(
      z
        .object({
          id: text(MAX_EVENT_ID_LENGTH, 1),
          metric: z.enum(['sessions', 'events', 'enrichments', 'storage']),
          quantity: integer(-MAX_USAGE_QUANTITY, MAX_USAGE_QUANTITY),
        })
        // Storage is a level moved by signed deltas; the other metrics count things, so a count of zero or
        // less is malformed input (a 400 for the whole call, like a fractional one), not a limit refusal.
        .refine((e) => e.metric === 'storage' || e.quantity > 0, {
          path: ['quantity'],
          message: 'must be a positive integer for sessions, events and enrichments',
        }),
    )
    .min(1)
    .max(MAX_USAGE_EVENTS_PER_CALL),
});

const usageEventResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'refused']),
  used: z.number().int().optional(),
  limit: z.number().int().nullable().optional(),
  error: z.string().optional(),
});

// One shape for the three statuses (not a union): the document has always described it so. tRPC checks that
// the service's results fit it. A call whose every event is refused answers 402 with the same `results`.
export const recordUsageEventsOutput = z.object({
  results: z.array(usageEventResult),
  /** How many events were refused; 0 when all were accepted or duplicates. */
  refused: z.number().int(),
});
