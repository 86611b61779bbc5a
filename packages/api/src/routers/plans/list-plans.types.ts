import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';

export const listPlansMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/billing/plans',
    tags: ['plans'],
    protect: false,
    summary: 'The plan and credit-pack catalogue (prices in euro cents per seat; null limits are unlimited)',
  },
  examples: {
    output: {
      plans: [
        {
          id: 'team',
          name: 'Team',
          prices: { month: 1900, year: 19000 },
          tokenAllowance: 5000000,
          creditsAllowed: true,
          minSeats: 2,
          maxSeats: 100,
          limits: { sessions: 200, events: 10000, enrichments: 100, storage: 536870912 },
        },
      ],
      packs: [{ id: 'credits_1m', tokens: 1000000, price: 500 }],
    },
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
