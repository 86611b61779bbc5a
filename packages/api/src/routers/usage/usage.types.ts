import { z } from 'zod';

/** The account's current usage period, as both usage answers show it. */
export const periodSchema = z.object({ start: z.string(), end: z.string() });
