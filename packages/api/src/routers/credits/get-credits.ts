import { z } from 'zod';
import { readProcedure } from '../trpc';
import { creditsSchema } from './credits.types';
import { readCredits } from '../../services/credits/read-credits';

export const getCreditsInput = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(32).optional(),
});

export const getCredits = readProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/billing/credits',
      tags: ['credits'],
      summary: 'Balance, auto-recharge settings and transaction history (newest first)',
      protect: true,
    },
  })
  .input(getCreditsInput)
  .output(creditsSchema)
  .query(({ ctx, input }) => readCredits(ctx.deps.database.db, ctx.principal.accountId, input));
