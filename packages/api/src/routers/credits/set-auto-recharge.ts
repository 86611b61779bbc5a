import { configureAutoRecharge } from '../../services/credits/auto-recharge-settings';
import { ownerProcedure } from '../trpc';
import { setAutoRechargeInput, setAutoRechargeMeta, setAutoRechargeOutput } from './set-auto-recharge.types';

export const setAutoRecharge = ownerProcedure
  .meta(setAutoRechargeMeta)
  .input(setAutoRechargeInput)
  .output(setAutoRechargeOutput)
  .mutation(({ ctx, input }) => configureAutoRecharge(ctx.deps, ctx.principal.accountId, input));
