import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../services/outbox/event-types';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { OPERATOR_TAG } from './admin.types';
import { eventLogEntrySchema } from './webhooks.types';

export const EVENT_LOG_PAGE_SIZE = 100;

export const listEventsMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/admin/events',
    tags: [OPERATOR_TAG],
    summary:
      'The webhook event log, newest first, optionally of one account and one type: each event as delivered, with its delivery to every endpoint and each attempt’s answer (status, excerpt, next attempt)',
    protect: true,
  },
};

export const listEventsInput = z.object({
  accountId: recordId().optional(),
  type: z.enum(WEBHOOK_EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(EVENT_LOG_PAGE_SIZE).default(50),
});

export const listEventsOutput = z.object({ events: z.array(eventLogEntrySchema) });
