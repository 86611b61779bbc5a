import { configureCreditAlert } from '../../services/credits/credit-alerts';
import { ownerOrAdminSettingsProcedure } from '../trpc';
import { setCreditAlertsInput, setCreditAlertsMeta, setCreditAlertsOutput } from './set-credit-alerts.types';

export const setCreditAlerts = ownerOrAdminSettingsProcedure
  .meta(setCreditAlertsMeta)
  .input(setCreditAlertsInput)
  .output(setCreditAlertsOutput)
  .mutation(({ ctx, input }) =>
    configureCreditAlert(ctx.deps.database.db, ctx.principal.accountId, input, ctx.deps.now()),
  );
