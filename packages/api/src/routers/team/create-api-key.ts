import { createAccountApiKey } from '../../services/auth/api-keys';
import { ownerOrAdminProcedure } from '../trpc';
import { createApiKeyInput, createApiKeyMeta, createApiKeyOutput } from './create-api-key.types';

export const createApiKey = ownerOrAdminProcedure
  .meta(createApiKeyMeta)
  .input(createApiKeyInput)
  .output(createApiKeyOutput)
  .mutation(async ({ ctx, input }) => {
    const key = await createAccountApiKey(ctx.deps.database.db, ctx.principal, input);
    ctx.reply.status = 201;
    return key;
  });
