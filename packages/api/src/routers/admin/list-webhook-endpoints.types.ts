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
};

export const listWebhookEndpointsInput = z.object({});

export const listWebhookEndpointsOutput = z.object({ endpoints: z.array(endpointSchema) });
