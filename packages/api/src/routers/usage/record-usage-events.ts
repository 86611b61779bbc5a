import { recordUsage } from '../../services/usage/record-usage';
import { usageProcedure } from '../trpc';
import { recordUsageEventsInput, recordUsageEventsMeta, recordUsageEventsOutput } from './record-usage-events.types';

export const recordUsageEvents = usageProcedure
  .meta(recordUsageEventsMeta)
  .input(recordUsageEventsInput)
  .output(recordUsageEventsOutput)
  .mutation(({ ctx, input }) => recordUsage(ctx.deps, ctx.principal.accountId, input.events));
