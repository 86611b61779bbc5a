import { revokeApiKey as revokeKey } from '../../services/auth/api-keys';
import { ownerOrAdminProcedure } from '../trpc';
import { revokeApiKeyInput, revokeApiKeyMeta, revokeApiKeyOutput } from './revoke-api-key.types';

export const revokeApiKey = ownerOrAdminProcedure
  .meta(revokeApiKeyMeta)
  .input(revokeApiKeyInput)
  .output(revokeApiKeyOutput)
  .mutation(({ ctx, input }) => revokeKey(ctx.deps.database.db, ctx.principal, input.id, ctx.deps.now()));
