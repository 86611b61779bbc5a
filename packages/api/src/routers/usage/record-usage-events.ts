import { recordUsage } from '../../services/usage/record-usage';
import { usageProcedure } from '../trpc';
import { recordUsageEventsAnswer, recordUsageEventsMeta, recordUsageEventsParser } from './record-usage-events.types';

export const recordUsageEvents = usageProcedure
  .meta(recordUsageEventsMeta)
  .input(recordUsageEventsParser)
  .output(recordUsageEventsAnswer)
  .mutation(({ ctx, input }) => recordUsage(ctx.deps, ctx.principal.accountId, input.events));
