import { ownerProcedure } from '../trpc';
import { purchaseInput, purchaseResult } from './credits.types';
import { purchasePack } from '../../services/credits/purchase';

export const purchaseCredits = ownerProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/api/billing/credits/purchase',
      tags: ['credits'],
      summary:
        'Buy a credit pack with the saved card (off-session). Honours an Idempotency-Key header: a retry returns the first answer and never charges twice.',
      protect: true,
      errorResponses: { 400: 'Unknown pack', 402: 'Card declined', 403: 'Free plan', 409: 'No saved card' },
    },
  })
  .input(purchaseInput)
  .output(purchaseResult)
  .mutation(({ ctx, input }) => purchasePack(ctx.deps, ctx.principal.accountId, input.packId, ctx.idempotencyKey));
