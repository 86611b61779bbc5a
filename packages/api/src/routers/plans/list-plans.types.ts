import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';

export const listPlansMeta: OpenApiMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/plans',
    tags: ['plans'],
    summary: 'The plan and credit-pack catalogue (prices in euro cents per seat; null limits are unlimited)',
  },
};

export const listPlansInput = z.object({});

const limit = z.number().int().nullable();

const planView = z.object({
  id: z.string(),
  name: z.string(),
  prices: z.object({ month: z.number().int().nullable(), year: z.number().int().nullable() }),
  tokenAllowance: limit,
  creditsAllowed: z.boolean(),
  minSeats: z.number().int(),
  maxSeats: limit,
  limits: z.object({ sessions: limit, events: limit, enrichments: limit, storage: limit }),
});

const packView = z.object({ id: z.string(), tokens: z.number().int(), price: z.number().int() });

export const listPlansOutput = z.object({ plans: z.array(planView), packs: z.array(packView) });
