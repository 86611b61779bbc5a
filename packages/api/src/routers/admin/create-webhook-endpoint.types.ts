import { MAX_URL_LENGTH } from '@contox/core';
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../services/outbox/event-types';
import type { BillingMeta } from '../contract-meta';
import { text } from '../limits';
import { OPERATOR_TAG } from './admin.types';
import { endpointSchema } from './webhooks.types';

export const createWebhookEndpointMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/admin/webhook-endpoints',
    tags: [OPERATOR_TAG],
    summary:
      'Add a webhook endpoint (an http or https URL) for these event types, or ["*"] for all: 201 with its signing secret, shown this once. Deliveries are signed with Contox-Signature (see the webhooks section).',
    protect: true,
  },
  successStatus: 201,
};

export const createWebhookEndpointInput = z.object({
  url: text(MAX_URL_LENGTH, 1),
  events: z
    .array(z.enum(['*', ...WEBHOOK_EVENT_TYPES]))
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length + 1),
});

export const createWebhookEndpointOutput = endpointSchema.extend({ secret: z.string() });
