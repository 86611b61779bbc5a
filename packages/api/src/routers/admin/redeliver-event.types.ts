import { z } from 'zod';
import type { BillingMeta } from '../contract-meta';
import { recordId } from '../limits';
import { OPERATOR_TAG } from './admin.types';

export const redeliverEventMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/admin/events/{id}/redeliver',
    tags: [OPERATOR_TAG],
    summary:
      'Send an event again, now, to every endpoint that wants its type (with a new three-day retry window); a delivery still pending keeps its schedule',
    protect: true,
  },
  examples: {
    input: { id: 'evt_5Lm9Qx2Vr8Kt4Np1Hs7Z' },
    output: { id: 'evt_5Lm9Qx2Vr8Kt4Np1Hs7Z', redelivering: true },
  },
};

export const redeliverEventInput = z.object({ id: recordId() });

export const redeliverEventOutput = z.object({ id: z.string(), redelivering: z.literal(true) });
