import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';

export const recordUsageEventsMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/usage/events',
    tags: ['usage'],
    summary:
      'Record up to 1,000 usage events; each id counts once forever. Per event: accepted, duplicate, or refused (limit reached, with used and limit).',
    protect: true,
  },
};

const MAX_EVENTS_PER_CALL = 1000;

export const recordUsageEventsInput = z.object({
  events: z
    .array(
      z
        .object({
          id: z.string().min(1).max(200),
          metric: z.enum(['sessions', 'events', 'enrichments', 'storage']),
          quantity: z.number().int().min(-1e15).max(1e15),
        })
        // Storage is a level moved by signed deltas; the other metrics count things, so a count of zero or
        // less is malformed input (a 400 for the whole call, like a fractional one), not a limit refusal.
        .refine((e) => e.metric === 'storage' || e.quantity > 0, {
          path: ['quantity'],
          message: 'must be a positive integer for sessions, events and enrichments',
        }),
    )
    .min(1)
    .max(MAX_EVENTS_PER_CALL),
});

const usageEventResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'refused']),
  used: z.number().int().optional(),
  limit: z.number().int().nullable().optional(),
  error: z.string().optional(),
});

// One shape for the three statuses (not a union): the document has always described it so. tRPC checks that
// the service's results fit it.
export const recordUsageEventsOutput = z.object({ results: z.array(usageEventResult) });
