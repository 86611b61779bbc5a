import { removeEndpoint } from '../../services/outbox/endpoints';
import { adminApiProcedure } from '../trpc';
import {
  deleteWebhookEndpointInput,
  deleteWebhookEndpointMeta,
  deleteWebhookEndpointOutput,
} from './delete-webhook-endpoint.types';

export const deleteWebhookEndpoint = adminApiProcedure
  .meta(deleteWebhookEndpointMeta)
  .input(deleteWebhookEndpointInput)
  .output(deleteWebhookEndpointOutput)
  .mutation(async ({ ctx, input }) => {
    await removeEndpoint(ctx.deps.database.db, input.id, ctx.deps.now());
    return { id: input.id, deleted: true as const };
  });
