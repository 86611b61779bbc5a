import { z } from 'zod';

const meter = z.object({ used: z.number().int(), limit: z.number().int().nullable() });

export const periodView = z.object({ start: z.string(), end: z.string() });

export const usageView = z.object({
  plan: z.string(),
  period: periodView,
  usage: z.object({ sessions: meter, events: meter, enrichments: meter, storage: meter }),
});

export const MAX_EVENTS_PER_CALL = 1000;

export const recordUsageInput = z.object({
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

export const usageEventResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'refused']),
  used: z.number().int().optional(),
  limit: z.number().int().nullable().optional(),
  error: z.string().optional(),
});

export const recordUsageResult = z.object({ results: z.array(usageEventResult) });

export const dailyUsageView = z.object({
  period: periodView,
  days: z.array(
    z.object({ day: z.string(), sessions: z.number().int(), events: z.number().int(), enrichments: z.number().int() }),
  ),
});
