import { z } from 'zod';

const limit = z.number().int().nullable();

export const planView = z.object({
  id: z.string(),
  name: z.string(),
  prices: z.object({ month: z.number().int().nullable(), year: z.number().int().nullable() }),
  tokenAllowance: limit,
  creditsAllowed: z.boolean(),
  minSeats: z.number().int(),
  maxSeats: limit,
  limits: z.object({ sessions: limit, events: limit, enrichments: limit, storage: limit }),
});

export const packView = z.object({ id: z.string(), tokens: z.number().int(), price: z.number().int() });

export const plansResult = z.object({ plans: z.array(planView), packs: z.array(packView) });
