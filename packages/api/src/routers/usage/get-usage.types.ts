import { z } from 'zod';
import type { UsageView } from '../../services/usage/read-usage';
import { periodSchema } from './usage.types';
import type { BillingMeta } from '../contract-meta';

export const getUsageMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/usage',
    tags: ['usage'],
    summary: 'Usage this period against the plan limits (storage is a level in bytes; null limit = unlimited)',
    protect: true,
  },
  examples: {
    output: {
      plan: 'team',
      period: { start: '2026-01-01T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' },
      usage: {
        sessions: { used: 120, limit: 200 },
        events: { used: 4200, limit: 10000 },
        enrichments: { used: 37, limit: 100 },
        storage: { used: 73400320, limit: 536870912 },
      },
    },
  },
};

export const getUsageInput = z.object({});

const meter = z.object({ used: z.number().int(), limit: z.number().int().nullable() });

export const getUsageOutput = z.object({
  plan: z.string(),
  period: periodSchema,
  usage: z.object({ sessions: meter, events: meter, enrichments: meter, storage: meter }),
}) satisfies z.ZodType<UsageView>;
