import { confirmCreditCheckout as confirm } from '../../services/credits/credit-checkout';
import { ownerProcedure } from '../trpc';
import {
  confirmCreditCheckoutInput,
  confirmCreditCheckoutMeta,
  confirmCreditCheckoutOutput,
} from './confirm-credit-checkout.types';

export const confirmCreditCheckout = ownerProcedure
  .meta(confirmCreditCheckoutMeta)
  .input(confirmCreditCheckoutInput)
  .output(confirmCreditCheckoutOutput)
  .mutation(({ ctx, input }) => confirm(ctx.deps, ctx.principal.accountId, input.sessionId));
