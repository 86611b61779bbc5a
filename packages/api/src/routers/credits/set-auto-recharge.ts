import { validateAutoRechargeSettings } from '@contox/core';
import { saveAutoRechargeSettings } from '../../store/payments';
import { ownerProcedure } from '../trpc';
import { autoRechargeInput, autoRechargeSchema } from './credits.types';

export const setAutoRecharge = ownerProcedure
  .meta({
    openapi: {
      method: 'PUT',
      path: '/api/billing/credits/auto-recharge',
      tags: ['credits'],
      summary:
        'Configure auto-recharge: when the balance falls below `threshold` tokens, buy `packId`, at most `spendingLimit` euro cents per billing period.',
      protect: true,
    },
  })
  .input(autoRechargeInput)
  .output(autoRechargeSchema)
  .mutation(async ({ ctx, input }) => {
    const settings = validateAutoRechargeSettings(input, ctx.deps.catalog);
    // Saving the settings is also the owner's answer to a failed recharge: it lifts the pause.
    await saveAutoRechargeSettings(ctx.deps.database.db, ctx.principal.accountId, settings, ctx.deps.now());
    return settings;
  });
