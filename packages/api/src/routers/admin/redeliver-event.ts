import { redeliverEvent as redeliver } from '../../services/outbox/event-log';
import { adminApiProcedure } from '../trpc';
import { redeliverEventInput, redeliverEventMeta, redeliverEventOutput } from './redeliver-event.types';

export const redeliverEvent = adminApiProcedure
  .meta(redeliverEventMeta)
  .input(redeliverEventInput)
  .output(redeliverEventOutput)
  .mutation(({ ctx, input }) => redeliver(ctx.deps.database.db, input.id));
