import { purchasePack } from '../../services/credits/purchase';
import { idempotencyKeyHeader } from '../limits';
import { ownerProcedure } from '../trpc';
import { purchaseCreditsInput, purchaseCreditsMeta, purchaseCreditsOutput } from './purchase-credits.types';

export const purchaseCredits = ownerProcedure
  .meta(purchaseCreditsMeta)
  .input(purchaseCreditsInput)
  .output(purchaseCreditsOutput)
  .mutation(({ ctx, input }) =>
    purchasePack(ctx.deps, ctx.principal.accountId, input.packId, idempotencyKeyHeader(ctx.idempotencyKey)),
  );
