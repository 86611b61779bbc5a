import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { ResumeResult } from '../../services/subscriptions/resume-renewal';

export const resumeSubscriptionMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/resume',
    tags: ['subscription'],
    summary: 'Undo a pending cancellation: the subscription renews at the end of the period again',
    protect: true,
    errorResponses: { 403: 'Not the account owner', 409: 'Nothing to resume', 503: 'Stripe unavailable' },
  },
};

export const resumeSubscriptionInput = z.object({}).default({});

export const resumeSubscriptionOutput = z.object({ status: z.literal('active') }) satisfies z.ZodType<ResumeResult>;
