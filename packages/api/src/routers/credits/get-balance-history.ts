import { readBalanceHistoryPoints } from '../../services/credits/balance-history';
import { readProcedure } from '../trpc';
import { getBalanceHistoryInput, getBalanceHistoryMeta, getBalanceHistoryOutput } from './get-balance-history.types';

export const getBalanceHistory = readProcedure
  .meta(getBalanceHistoryMeta)
  .input(getBalanceHistoryInput)
  .output(getBalanceHistoryOutput)
  .query(({ ctx, input }) => readBalanceHistoryPoints(ctx.deps, ctx.principal.accountId, input.days));
