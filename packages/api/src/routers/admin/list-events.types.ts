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
  examples: {
    input: { accountId: 'acc_4fT9kLm2Qx8Rz1Vb7NwE', type: 'credits.low', limit: 1 },
    output: {
      events: [
        {
          id: 'evt_5Lm9Qx2Vr8Kt4Np1Hs7Z',
          type: 'credits.low',
          accountId: 'acc_4fT9kLm2Qx8Rz1Vb7NwE',
          sequence: 12,
          createdAt: '2026-01-15T10:00:00.000Z',
          payload: { id: 'evt_5Lm9Qx2Vr8Kt4Np1Hs7Z', type: 'credits.low', data: { balance: 90000 } },
          deliveries: [
            {
              endpointId: 'we_4Fq8Lm2Xs9Kd7Vb1Np3R',
              status: 'succeeded',
              attempts: [
                {
                  attempt: 1,
                  attemptedAt: '2026-01-15T10:00:00.000Z',
                  statusCode: 200,
                  excerpt: 'ok',
                  durationMs: 42,
                  nextAttemptAt: null,
                },
              ],
              nextAttemptAt: null,
            },
          ],
        },
      ],
    },
  },
};

export const listEventsInput = z.object({
  accountId: recordId().optional(),
  type: z.enum(WEBHOOK_EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(EVENT_LOG_PAGE_SIZE).default(50),
});

export const listEventsOutput = z.object({ events: z.array(eventLogEntrySchema) });
