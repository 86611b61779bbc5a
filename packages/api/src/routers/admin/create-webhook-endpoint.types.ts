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
  examples: {
    input: { url: 'https://app.example.com/hooks/contox', events: ['credits.low', 'subscription.updated'] },
    output: {
      id: 'we_4Fq8Lm2Xs9Kd7Vb1Np3R',
      url: 'https://app.example.com/hooks/contox',
      events: ['credits.low', 'subscription.updated'],
      createdAt: '2026-01-15T10:00:00Z',
      secret: 'whsec_T1x0b3v8QJm9yZp2LwKc6s4dHfNuGa5r',
    },
  },
};

export const createWebhookEndpointInput = z.object({
  url: text(MAX_URL_LENGTH, 1),
  events: z
    .array(z.enum(['*', ...WEBHOOK_EVENT_TYPES]))
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length + 1),
});

export const createWebhookEndpointOutput = endpointSchema.extend({ secret: z.string() });
