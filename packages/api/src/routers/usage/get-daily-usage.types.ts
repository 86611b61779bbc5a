import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { DailyUsage } from '../../services/usage/daily-usage';
import { periodSchema } from './usage.types';

export const getDailyUsageMeta: OpenApiMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/usage/daily',
    tags: ['usage'],
    summary: 'Usage per day over the current period (for charts)',
    protect: true,
  },
};

export const getDailyUsageInput = z.object({});

export const getDailyUsageOutput = z.object({
  period: periodSchema,
  days: z.array(
    z.object({ day: z.string(), sessions: z.number().int(), events: z.number().int(), enrichments: z.number().int() }),
  ),
}) satisfies z.ZodType<DailyUsage>;
