import { listApiKeys as listKeys } from '../../services/auth/api-keys';
import { ownerOrAdminProcedure } from '../trpc';
import { listApiKeysInput, listApiKeysMeta, listApiKeysOutput } from './list-api-keys.types';

export const listApiKeys = ownerOrAdminProcedure
  .meta(listApiKeysMeta)
  .input(listApiKeysInput)
  .output(listApiKeysOutput)
  .query(({ ctx }) => listKeys(ctx.deps.database.db, ctx.principal));
