import { createEndpoint } from '../../services/outbox/endpoints';
import { adminApiProcedure } from '../trpc';
import {
  createWebhookEndpointInput,
  createWebhookEndpointMeta,
  createWebhookEndpointOutput,
} from './create-webhook-endpoint.types';

export const createWebhookEndpoint = adminApiProcedure
  .meta(createWebhookEndpointMeta)
  .input(createWebhookEndpointInput)
  .output(createWebhookEndpointOutput)
  .mutation(async ({ ctx, input }) => {
    const created = await createEndpoint(ctx.deps.database.db, input, ctx.deps.now());
    ctx.reply.status = 201;
    return created;
  });
