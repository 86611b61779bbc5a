import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { UsageView } from '../../services/usage/read-usage';
import { periodSchema } from './usage.types';

export const getUsageMeta: OpenApiMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/usage',
    tags: ['usage'],
    summary: 'Usage this period against the plan limits (storage is a level in bytes; null limit = unlimited)',
    protect: true,
  },
};

export const getUsageInput = z.object({});

const meter = z.object({ used: z.number().int(), limit: z.number().int().nullable() });

export const getUsageOutput = z.object({
  plan: z.string(),
  period: periodSchema,
  usage: z.object({ sessions: meter, events: meter, enrichments: meter, storage: meter }),
}) satisfies z.ZodType<UsageView>;
