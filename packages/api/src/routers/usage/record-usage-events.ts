import { recordUsage } from '../../services/usage/record-usage';
import { recordUsageInput, recordUsageResult } from './usage.types';
import { usageProcedure } from '../trpc';

export const recordUsageEvents = usageProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/api/billing/usage/events',
      tags: ['usage'],
      summary:
        'Record up to 1,000 usage events; each id counts once forever. Per event: accepted, duplicate, or refused (limit reached, with used and limit).',
      protect: true,
    },
  })
  .input(recordUsageInput)
  .output(recordUsageResult)
  .mutation(async ({ ctx, input }) => ({
    results: await recordUsage(ctx.deps, ctx.principal.accountId, input.events),
  }));
