import { usageProcedure } from '../trpc';
import { spendInput, spendResult } from './credits.types';
import { spendTokens } from '../../services/credits/spend';

export const spendCredits = usageProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/api/billing/credits/spend',
      tags: ['credits'],
      summary:
        'Spend tokens: the plan allowance first, then credits. Not enough → 402 and nothing spent. The same idempotencyKey never spends twice.',
      protect: true,
      errorResponses: {
        400: 'Invalid input',
        402: 'Insufficient credits',
        409: 'idempotencyKey reused for another spend',
      },
    },
  })
  .input(spendInput)
  .output(spendResult)
  .mutation(({ ctx, input }) => spendTokens(ctx.deps, ctx.principal.accountId, input));
