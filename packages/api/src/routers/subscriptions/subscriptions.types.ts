import { z } from 'zod';

/** A Stripe page (Checkout or the billing portal) the caller sends the payer to. */
export const urlResult = z.object({ url: z.string() });
