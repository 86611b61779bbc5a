import { cancelAtPeriodEnd } from '../../services/subscriptions/cancel-at-period-end';
import { ownerProcedure } from '../trpc';
import { cancelSubscriptionInput, cancelSubscriptionMeta, cancelSubscriptionOutput } from './cancel-subscription.types';

export const cancelSubscription = ownerProcedure
  .meta(cancelSubscriptionMeta)
  .input(cancelSubscriptionInput)
  .output(cancelSubscriptionOutput)
  .mutation(({ ctx }) => cancelAtPeriodEnd(ctx.deps, ctx.principal.accountId));
