import { readCredits } from '../../services/credits/read-credits';
import { readProcedure } from '../trpc';
import { getCreditsInput, getCreditsMeta, getCreditsOutput } from './get-credits.types';

export const getCredits = readProcedure
  .meta(getCreditsMeta)
  .input(getCreditsInput)
  .output(getCreditsOutput)
  .query(({ ctx, input }) => readCredits(ctx.deps, ctx.principal.accountId, input));
