import { readSubscription } from '../../services/subscriptions/read-subscription';
import { readProcedure } from '../trpc';
import { getSubscriptionInput, getSubscriptionMeta, getSubscriptionOutput } from './get-subscription.types';

export const getSubscription = readProcedure
  .meta(getSubscriptionMeta)
  .input(getSubscriptionInput)
  .output(getSubscriptionOutput)
  .query(({ ctx }) => readSubscription(ctx.deps, ctx.principal.accountId));
