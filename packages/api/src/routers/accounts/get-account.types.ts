import { z } from 'zod';

export const meView = z.object({
  account: z.object({ id: z.string(), name: z.string(), plan: z.string() }),
  member: z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['owner', 'admin', 'member']) }),
  via: z.enum(['api_key', 'session']),
});
