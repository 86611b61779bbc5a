import { z } from 'zod';
import type { EndpointView } from '../../services/outbox/endpoints';
import type { EventLogEntry } from '../../services/outbox/event-log';

export const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: z.string(),
}) satisfies z.ZodType<EndpointView>;

const attemptSchema = z.object({
  attempt: z.number().int(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable(),
  excerpt: z.string(),
  durationMs: z.number().int(),
  nextAttemptAt: z.string().nullable(),
});

export const eventLogEntrySchema = z.object({
  id: z.string(),
  type: z.string(),
  accountId: z.string(),
  sequence: z.number().int(),
  createdAt: z.string(),
  payload: z.record(z.string(), z.unknown()),
  deliveries: z.array(
    z.object({
      endpointId: z.string(),
      status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
      attempts: z.array(attemptSchema),
      nextAttemptAt: z.string().nullable(),
    }),
  ),
}) satisfies z.ZodType<EventLogEntry>;
