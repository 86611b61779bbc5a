import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { OPERATOR_TAG } from './admin.types';

export const deleteWebhookEndpointMeta: BillingMeta = {
  openapi: {
    method: 'DELETE',
    path: '/api/admin/webhook-endpoints/{id}',
    tags: [OPERATOR_TAG],
    summary:
      'Delete a webhook endpoint: nothing more is sent to it, its pending deliveries are cancelled, the event log keeps its attempts',
    protect: true,
  },
  examples: { input: { id: 'we_4Fq8Lm2Xs9Kd7Vb1Np3R' }, output: { id: 'we_4Fq8Lm2Xs9Kd7Vb1Np3R', deleted: true } },
};

export const deleteWebhookEndpointInput = z.object({ id: recordId() });

export const deleteWebhookEndpointOutput = z.object({ id: z.string(), deleted: z.literal(true) });
