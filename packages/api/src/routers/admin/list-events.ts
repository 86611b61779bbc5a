import { readEventLog } from '../../services/outbox/event-log';
import { adminApiProcedure } from '../trpc';
import { listEventsInput, listEventsMeta, listEventsOutput } from './list-events.types';

export const listEvents = adminApiProcedure
  .meta(listEventsMeta)
  .input(listEventsInput)
  .output(listEventsOutput)
  .query(({ ctx, input }) => readEventLog(ctx.deps.database.db, input));
