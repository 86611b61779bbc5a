import { readUsage } from '../../services/usage/read-usage';
import { readProcedure } from '../trpc';
import { getUsageInput, getUsageMeta, getUsageOutput } from './get-usage.types';

export const getUsage = readProcedure
  .meta(getUsageMeta)
  .input(getUsageInput)
  .output(getUsageOutput)
  .query(({ ctx }) => readUsage(ctx.deps, ctx.principal.accountId));
