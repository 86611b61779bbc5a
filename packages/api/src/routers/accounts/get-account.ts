import { readAccount } from '../../services/accounts/read-account';
import { readProcedure } from '../trpc';
import { getAccountInput, getAccountMeta, getAccountOutput } from './get-account.types';

export const getAccount = readProcedure
  .meta(getAccountMeta)
  .input(getAccountInput)
  .output(getAccountOutput)
  .query(({ ctx }) => readAccount(ctx.deps.database.db, ctx.principal));
