import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { OPERATOR_TAG } from './admin.types';
import { endpointSchema } from './webhooks.types';

export const listWebhookEndpointsMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/admin/webhook-endpoints',
    tags: [OPERATOR_TAG],
    summary: 'The webhook endpoints, oldest first (their secrets are never shown again)',
    protect: true,
  },
  examples: {
    output: {
      endpoints: [
        {
          id: 'we_4Fq8Lm2Xs9Kd7Vb1Np3R',
          url: 'https://app.example.com/hooks/contox',
          events: ['credits.low', 'subscription.updated'],
          createdAt: '2026-01-15T10:00:00.000Z',
        },
      ],
    },
  },
};

export const listWebhookEndpointsInput = z.object({});

export const listWebhookEndpointsOutput = z.object({ endpoints: z.array(endpointSchema) });
