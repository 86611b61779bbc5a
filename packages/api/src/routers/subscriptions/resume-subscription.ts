import { resumeRenewal } from '../../services/subscriptions/resume-renewal';
import { ownerProcedure } from '../trpc';
import { resumeSubscriptionInput, resumeSubscriptionMeta, resumeSubscriptionOutput } from './resume-subscription.types';

export const resumeSubscription = ownerProcedure
  .meta(resumeSubscriptionMeta)
  .input(resumeSubscriptionInput)
  .output(resumeSubscriptionOutput)
  .mutation(({ ctx }) => resumeRenewal(ctx.deps, ctx.principal.accountId));
