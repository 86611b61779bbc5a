import { listOperatorAccounts } from '../../services/accounts/operator-accounts';
import { adminApiProcedure } from '../trpc';
import { listAccountsInput, listAccountsMeta, listAccountsOutput } from './list-accounts.types';

export const listAccounts = adminApiProcedure
  .meta(listAccountsMeta)
  .input(listAccountsInput)
  .output(listAccountsOutput)
  .query(({ ctx, input }) => listOperatorAccounts(ctx.deps.database.db, input));
