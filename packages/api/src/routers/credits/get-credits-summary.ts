import { readCreditsSummary } from '../../services/credits/credits-summary';
import { readProcedure } from '../trpc';
import { getCreditsSummaryInput, getCreditsSummaryMeta, getCreditsSummaryOutput } from './get-credits-summary.types';

export const getCreditsSummary = readProcedure
  .meta(getCreditsSummaryMeta)
  .input(getCreditsSummaryInput)
  .output(getCreditsSummaryOutput)
  .query(({ ctx }) => readCreditsSummary(ctx.deps, ctx.principal.accountId));
