import { MAX_URL_LENGTH } from '@contox/core';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { text } from '../limits';
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

export const openPortalInput = z.object({ returnUrl: text(MAX_URL_LENGTH).optional() }).default({}) satisfies z.ZodType<
  PortalRequest,
  unknown
>;

export const openPortalOutput = urlResult satisfies z.ZodType<PortalResult>;
