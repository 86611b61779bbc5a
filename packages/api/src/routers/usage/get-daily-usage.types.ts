import { z } from 'zod';
import type { DailyUsage } from '../../services/usage/daily-usage';
import { periodSchema } from './usage.types';
import type { BillingMeta } from '../contract-meta';

export const getDailyUsageMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/usage/daily',
    tags: ['usage'],
    summary: 'Usage per day over the current period (for charts)',
    protect: true,
  },
  examples: {
    output: {
      period: { start: '2026-01-01T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' },
      days: [
        { day: '2026-01-14', sessions: 40, events: 900, enrichments: 12 },
        { day: '2026-01-15', sessions: 8, events: 310, enrichments: 3 },
      ],
    },
  },
};

export const getDailyUsageInput = z.object({});

export const getDailyUsageOutput = z.object({
  period: periodSchema,
  days: z.array(
    z.object({ day: z.string(), sessions: z.number().int(), events: z.number().int(), enrichments: z.number().int() }),
  ),
}) satisfies z.ZodType<DailyUsage>;
