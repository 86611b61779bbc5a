import { listWebhookEndpoints as listEndpoints } from '../../services/outbox/endpoints';
import { adminApiProcedure } from '../trpc';
import {
  listWebhookEndpointsInput,
  listWebhookEndpointsMeta,
  listWebhookEndpointsOutput,
} from './list-webhook-endpoints.types';

export const listWebhookEndpoints = adminApiProcedure
  .meta(listWebhookEndpointsMeta)
  .input(listWebhookEndpointsInput)
  .output(listWebhookEndpointsOutput)
  .query(async ({ ctx }) => ({ endpoints: await listEndpoints(ctx.deps.database.db) }));
