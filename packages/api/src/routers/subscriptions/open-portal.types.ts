import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { PortalRequest, PortalResult } from '../../services/subscriptions/open-billing-portal';
import { urlResult } from './subscriptions.types';

export const openPortalMeta: OpenApiMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/portal',
    tags: ['subscription'],
    summary: 'Open the Stripe billing portal: payment methods, invoices, subscription changes',
    protect: true,
    errorResponses: { 400: 'A returnUrl off this app', 403: 'Not the account owner', 503: 'Stripe unavailable' },
  },
};

export const openPortalInput = z.object({ returnUrl: z.string().max(2048).optional() }).default({}) satisfies z.ZodType<
  PortalRequest,
  unknown
>;

export const openPortalOutput = urlResult satisfies z.ZodType<PortalResult>;
