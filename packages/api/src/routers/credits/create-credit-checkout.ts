import { startCreditCheckout } from '../../services/credits/credit-checkout';
import { ownerProcedure } from '../trpc';
import {
  createCreditCheckoutInput,
  createCreditCheckoutMeta,
  createCreditCheckoutOutput,
} from './create-credit-checkout.types';

export const createCreditCheckout = ownerProcedure
  .meta(createCreditCheckoutMeta)
  .input(createCreditCheckoutInput)
  .output(createCreditCheckoutOutput)
  .mutation(({ ctx, input }) => startCreditCheckout(ctx.deps, ctx.principal.accountId, input));
