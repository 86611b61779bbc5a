import { z } from 'zod';
import type { ResumeResult } from '../../services/subscriptions/resume-renewal';
import type { BillingMeta } from '../contract-meta';

export const resumeSubscriptionMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/resume',
    tags: ['subscription'],
    summary: 'Undo a pending cancellation: the subscription renews at the end of the period again',
    protect: true,
  },
  errors: ['conflict', 'stripe_unavailable'],
  examples: { input: {}, output: { status: 'active' } },
};

export const resumeSubscriptionInput = z.object({}).default({});

export const resumeSubscriptionOutput = z.object({ status: z.literal('active') }) satisfies z.ZodType<ResumeResult>;
