import { getOperatorAccount } from '../../services/accounts/operator-accounts';
import { adminApiProcedure } from '../trpc';
import { getAccountInput, getAccountMeta, getAccountOutput } from './get-account.types';

export const getAccount = adminApiProcedure
  .meta(getAccountMeta)
  .input(getAccountInput)
  .output(getAccountOutput)
  .query(({ ctx, input }) => getOperatorAccount(ctx.deps.database.db, input.accountId));
