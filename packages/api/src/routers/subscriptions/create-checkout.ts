import { startCheckout } from '../../services/subscriptions/start-checkout';
import { ownerProcedure } from '../trpc';
import { createCheckoutInput, createCheckoutMeta, createCheckoutOutput } from './create-checkout.types';

export const createCheckout = ownerProcedure
  .meta(createCheckoutMeta)
  .input(createCheckoutInput)
  .output(createCheckoutOutput)
  .mutation(({ ctx, input }) => startCheckout(ctx.deps, ctx.principal.accountId, input));
