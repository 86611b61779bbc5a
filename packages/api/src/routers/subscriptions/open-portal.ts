import { openBillingPortal } from '../../services/subscriptions/open-billing-portal';
import { ownerProcedure } from '../trpc';
import { openPortalInput, openPortalMeta, openPortalOutput } from './open-portal.types';

export const openPortal = ownerProcedure
  .meta(openPortalMeta)
  .input(openPortalInput)
  .output(openPortalOutput)
  .mutation(({ ctx, input }) => openBillingPortal(ctx.deps, ctx.principal.accountId, input));
