import { spendTokens } from '../../services/credits/spend';
import { usageProcedure } from '../trpc';
import { spendCreditsInput, spendCreditsMeta, spendCreditsOutput } from './spend-credits.types';

export const spendCredits = usageProcedure
  .meta(spendCreditsMeta)
  .input(spendCreditsInput)
  .output(spendCreditsOutput)
  .mutation(({ ctx, input }) => spendTokens(ctx.deps, ctx.principal.accountId, input));
