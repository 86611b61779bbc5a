import { readDailyUsageOfPeriod } from '../../services/usage/daily-usage';
import { readProcedure } from '../trpc';
import { getDailyUsageInput, getDailyUsageMeta, getDailyUsageOutput } from './get-daily-usage.types';

export const getDailyUsage = readProcedure
  .meta(getDailyUsageMeta)
  .input(getDailyUsageInput)
  .output(getDailyUsageOutput)
  .query(({ ctx }) => readDailyUsageOfPeriod(ctx.deps, ctx.principal.accountId));
